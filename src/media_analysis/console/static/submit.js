// The submission form: a file (dropped or picked) or a URL, an action and its options.
import { API, sendJson, upload } from "./api.js";
import { el, megabytes } from "./dom.js";

const ACTIONS = {
  analyze: ["Analyze (type detected from the content)", "/analyze", "media_url",
    ["prompt", "media_type", "fps", "grid", "provider", "language", "analysis_type"]],
  video: ["Video: frames, contact sheets, transcript and analysis", "/video", "video_url",
    ["prompt", "fps", "grid", "output_format", "provider", "language"]],
  frames: ["Video frames", "/video/extract-frames", "video_url", ["fps", "output_format"]],
  sheets: ["Contact sheets", "/video/contact-sheet", "video_url", ["fps", "grid"]],
  transcript: ["Transcript", "/audio/transcribe", "audio_url", ["provider", "language"]],
  audio: ["Audio: transcript and analysis", "/audio", "audio_url", ["prompt", "provider", "language"]],
  document: ["Document text and analysis", "/documents", "document_url", ["analysis_type", "prompt"]],
};

const choice = (...values) => values.map((value) => el("option", { value }, value || "default"));

const OPTIONS = {
  prompt: () => el("textarea", { rows: 2, placeholder: "What should the answer cover?" }),
  media_type: () => el("select", {}, choice("", "video", "audio", "document", "image")),
  fps: () => el("input", { type: "number", min: "0.1", max: "30", step: "0.1", placeholder: "3" }),
  grid: () => el("input", { pattern: "\\d+x\\d+", placeholder: "2x3 (rows x columns)" }),
  output_format: () => el("select", {}, choice("", "jpg", "png", "webp")),
  provider: () => el("select", {}, choice("", "groq", "deepgram", "openai", "gemini", "local")),
  language: () => el("input", { maxlength: "2", pattern: "[a-z]{2}", placeholder: "en" }),
  analysis_type: () => el("select", {}, choice("summary", "extract", "qa")),
};
const LABELS = {
  prompt: "Prompt", media_type: "Media type", fps: "Frames per second", grid: "Grid",
  output_format: "Frame format", provider: "Transcription provider", language: "Language",
  analysis_type: "Analysis type",
};
const NUMERIC = new Set(["fps"]);

export function submitView() {
  const fields = Object.fromEntries(Object.keys(OPTIONS).map((name) => [name, optionField(name)]));
  const file = el("input", { type: "file", id: "file", name: "file" });
  const url = el("input", { type: "url", id: "media-url", placeholder: "https://…/clip.mp4" });
  const action = el("select", { id: "action" },
    Object.entries(ACTIONS).map(([key, [label]]) => el("option", { value: key }, label)));
  const progress = el("progress", { id: "upload-progress", max: "1", value: "0", hidden: true });
  const message = el("p", { class: "form-message", role: "status" });
  const chosen = el("span", { class: "chosen" }, "No file chosen");
  const zone = dropZone(file, chosen);
  const showOptions = () => {
    const wanted = ACTIONS[action.value][3];
    for (const [name, field] of Object.entries(fields)) field.hidden = !wanted.includes(name);
  };
  action.addEventListener("change", showOptions);
  showOptions();
  const form = el("form", { class: "card submit", id: "submit-form" },
    el("h2", {}, "Submit media"),
    el("label", { for: "action" }, "What to do"), action,
    zone, chosen,
    el("label", { for: "media-url" }, "…or the media's URL"), url,
    el("div", { class: "options" }, Object.values(fields)),
    el("button", { type: "submit", class: "primary" }, "Submit"), progress, message);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send({ action: ACTIONS[action.value], file, url, fields, progress, message, form });
  });
  return form;
}

function optionField(name) {
  const input = OPTIONS[name]();
  input.id = `option-${name}`;
  input.name = name;
  return el("div", { class: "field" }, el("label", { for: input.id }, LABELS[name]), input);
}

function dropZone(file, chosen) {
  const zone = el("label", { class: "drop", for: "file" },
    el("strong", {}, "Drop a file here"), " or press to pick one", file);
  const describe = () => {
    const picked = file.files[0];
    chosen.textContent = picked ? `${picked.name} (${megabytes(picked.size)})` : "No file chosen";
  };
  file.addEventListener("change", describe);
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    if (event.dataTransfer.files.length) {
      file.files = event.dataTransfer.files;
      describe();
    }
  });
  return zone;
}

function optionValues(action, fields) {
  const values = {};
  for (const name of action[3]) {
    const input = fields[name].querySelector("input, select, textarea");
    const value = input.value.trim();
    if (value) values[name] = NUMERIC.has(name) ? Number(value) : value;
  }
  return values;
}

async function send({ action, file, url, fields, progress, message, form }) {
  const [, path, urlField] = action;
  const values = optionValues(action, fields);
  const picked = file.files[0];
  message.textContent = "";
  if (!picked && !url.value.trim()) {
    message.textContent = "Choose a file or enter a URL.";
    return;
  }
  form.querySelector("button[type=submit]").disabled = true;
  try {
    const job = picked
      ? await uploadFile(API + path, picked, values, progress, message)
      : await sendJson(API + path, "POST", { ...values, [urlField]: url.value.trim() });
    location.hash = `#/job/${job.id}`;
  } catch (error) {
    message.textContent = `${error.code || "error"}: ${error.message}`;
  } finally {
    form.querySelector("button[type=submit]").disabled = false;
  }
}

function uploadFile(path, picked, values, progress, message) {
  const body = new FormData();
  for (const [name, value] of Object.entries(values)) body.append(name, String(value));
  body.append("file", picked, picked.name);
  progress.hidden = false;
  progress.value = 0;
  return upload(path, body, (fraction) => {
    progress.value = fraction;
    message.textContent = `Uploading ${Math.round(fraction * 100)} %`;
  });
}
