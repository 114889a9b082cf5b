// The original video or audio beside its transcript: the spoken word follows playback.
import { API, blobUrl, getJson, request } from "./api.js";
import { el, megabytes, section } from "./dom.js";

// A blob: URL keeps the whole file in memory, so big originals load only on request.
const AUTO_LOAD_BYTES = 64 * 1048576;
const FORMATS = ["txt", "srt", "vtt", "json"];

export function playerCard(job, original, params, scope) {
  const media = original
    ? el(original.mime_type.startsWith("video/") ? "video" : "audio",
      { id: "player", controls: true, preload: "auto" })
    : null;
  const transcript = el("div", { class: "transcript", id: "transcript" });
  const start = Number(params.get("t"));
  const kind = original?.mime_type.startsWith("video/") ? "Video" : "Audio";
  const card = section(job.result?.transcript ? `${kind} and transcript` : kind,
    el("div", { class: "player-layout" },
      el("div", { class: "media" }, media ? mediaLoader(media, original, start, scope) : null),
      el("div", {}, transcript)));
  card.id = "player-card";
  if (job.result?.transcript) {
    loadTranscript(job.id, transcript, media, scope).catch((error) => {
      transcript.replaceChildren(el("p", { class: "form-message" }, `${error.code}: ${error.message}`));
    });
  } else {
    transcript.append(el("p", { class: "hint" }, "This job made no transcript."));
  }
  return card;
}

function mediaLoader(media, original, start, scope) {
  const holder = el("div", {}, media);
  const load = async () => {
    const url = scope.track(await blobUrl(original.url, scope.signal));
    media.src = url;
    if (start > 0) media.addEventListener("loadedmetadata", () => { media.currentTime = start; }, { once: true });
  };
  if ((original.file_size_bytes || 0) <= AUTO_LOAD_BYTES) {
    load().catch(() => {});
    return holder;
  }
  const button = el("button", { type: "button" },
    `Load the original (${megabytes(original.file_size_bytes)}) to play it`);
  button.addEventListener("click", () => {
    button.remove();
    load().catch(() => {});
  });
  holder.prepend(el("p", { class: "hint" }, "Playing needs the whole file in this page's memory."), button);
  return holder;
}

async function loadTranscript(jobId, container, media, scope) {
  const path = `${API}/jobs/${jobId}/transcript`;
  const transcript = await getJson(`${path}?format=json`, { signal: scope.signal });
  const timed = transcript.words.length ? transcript.words : transcript.segments;
  const spans = timed.map((item) => {
    const word = el("button", { type: "button", class: "word", dataset: { start: item.start } }, item.text);
    word.addEventListener("click", () => seek(media, item.start));
    return word;
  });
  const text = el("p", { class: "words", id: "transcript-words" });
  spans.forEach((span, index) => text.append(span, index < spans.length - 1 ? " " : ""));
  container.replaceChildren(
    el("p", { class: "hint" }, `${transcript.provider}${transcript.model ? ` (${transcript.model})` : ""}`,
      transcript.language ? `, language ${transcript.language}` : ""),
    text, el("div", { class: "actions downloads" }, FORMATS.map((format) => downloadButton(path, format, jobId))));
  if (media) followPlayback(media, timed, spans);
}

function seek(media, seconds) {
  if (!media) return;
  media.currentTime = seconds;
  media.play().catch(() => {});
}

function followPlayback(media, timed, spans) {
  let current = -1;
  const highlight = () => {
    const index = wordAt(timed, media.currentTime);
    if (index === current) return;
    spans[current]?.classList.remove("current");
    spans[current]?.removeAttribute("aria-current");
    current = index;
    if (index < 0) return;
    spans[index].classList.add("current");
    spans[index].setAttribute("aria-current", "true");
    spans[index].scrollIntoView({ block: "nearest" });
  };
  let frame = 0;
  const loop = () => {
    highlight();
    frame = media.paused ? 0 : requestAnimationFrame(loop);
  };
  media.addEventListener("timeupdate", highlight);
  media.addEventListener("seeked", highlight);
  media.addEventListener("play", () => { if (!frame) frame = requestAnimationFrame(loop); });
}

// The last word that started at or before the time (binary search over start times).
export function wordAt(timed, seconds) {
  let low = 0;
  let high = timed.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (timed[middle].start <= seconds) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

function downloadButton(path, format, jobId) {
  const button = el("button", { type: "button", dataset: { format } }, format.toUpperCase());
  button.addEventListener("click", async () => {
    const response = await request(`${path}?format=${format}`, { headers: { Accept: "*/*" } });
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: `transcript-${jobId}.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  return button;
}
