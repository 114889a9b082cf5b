// What a completed job produced: the answer, provider attempts, media, sheets, text.
import { API, getJson, sendJson } from "./api.js";
import { el, section } from "./dom.js";
import { documentCard } from "./document.js";
import { playerCard } from "./player.js";
import { filmstripCard, sheetsCard } from "./sheets.js";

export async function resultCards(job, params, scope) {
  const result = job.result || {};
  const assets = await getJson(`${API}/jobs/${job.id}/assets`, { signal: scope.signal });
  const byType = (type) => assets.filter((asset) => asset.asset_type === type);
  const frames = byType("frame").sort((a, b) => a.frame_index - b.frame_index);
  const cards = [];
  if (result.analysis_result && Object.keys(result.analysis_result).length) {
    cards.push(analysisCard(result.analysis_result));
  }
  const original = byType("original")[0];
  const playable = original && /^(audio|video)\//.test(original.mime_type || "");
  if (playable || result.transcript) cards.push(playerCard(job, playable ? original : null, params, scope));
  if (byType("contact_sheet").length) cards.push(sheetsCard(byType("contact_sheet"), frames, scope));
  if (frames.length) cards.push(filmstripCard(frames, scope));
  if (byType("document_text").length) cards.push(documentCard(byType("document_text")[0], params, scope));
  if (result.providers?.length) cards.push(attemptsCard(result.providers));
  cards.push(reaskCard(job));
  return cards;
}

function analysisCard(analysis) {
  const local = analysis.provider === "local" || analysis.language_model_used === false;
  const card = section(local ? "Local analysis" : "Answer",
    local
      ? el("p", { class: "badge local", id: "local-analysis" },
        "Local analysis: not an answer from a language model")
      : el("p", { class: "provider" }, `From ${analysis.provider}`,
        analysis.model ? ` (${analysis.model})` : ""),
    analysis.prompt ? el("p", { class: "prompt" }, el("strong", {}, "Prompt: "), analysis.prompt) : null,
    analysis.note ? el("p", { class: "note" }, analysis.note) : null,
    el("div", { class: "answer", id: "answer" }, analysis.answer || analysis.summary || ""),
    el("details", {}, el("summary", {}, "Every field"),
      el("pre", {}, JSON.stringify(analysis, null, 2))));
  card.id = "analysis";
  return card;
}

function attemptsCard(attempts) {
  const rows = attempts.map((attempt) => el("tr", {},
    el("td", {}, attempt.provider), el("td", {}, attempt.model || ""),
    el("td", {}, el("span", { class: `badge outcome-${attempt.outcome}` }, attempt.outcome)),
    el("td", { class: "number" }, attempt.latency_ms != null ? `${attempt.latency_ms} ms` : ""),
    el("td", {}, [attempt.error_code, attempt.error_message].filter(Boolean).join(": "))));
  const card = section("Provider attempts", el("div", { class: "scroll" },
    el("table", { class: "attempts" },
      el("thead", {}, el("tr", {}, ["Provider", "Model", "Outcome", "Latency", "Error"].map(
        (name) => el("th", { scope: "col" }, name)))),
      el("tbody", {}, rows))));
  card.id = "attempts";
  return card;
}

function reaskCard(job) {
  // A re-analysis stores no media of its own: ask its source job again.
  const target = job.parameters?.source_job_id || job.id;
  const prompt = el("textarea", { id: "reask-prompt", rows: 2, required: true,
    placeholder: "Ask something new about this media" });
  const isDocument = job.media_type === "document" || job.job_type === "document";
  const type = el("select", { id: "reask-type" },
    ["qa", "summary", "extract"].map((value) => el("option", { value }, value)));
  const message = el("p", { class: "form-message", role: "status" });
  const form = el("form", { class: "card", id: "reask" },
    el("h2", {}, "Ask again"),
    el("p", { class: "hint" }, "A new prompt, answered from the stored frames and text."),
    el("label", { for: "reask-prompt" }, "Prompt"), prompt,
    isDocument ? [el("label", { for: "reask-type" }, "Analysis type"), type] : null,
    el("button", { type: "submit", class: "primary" }, "Ask"), message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { prompt: prompt.value.trim() };
    if (isDocument) body.analysis_type = type.value;
    try {
      const reanalysis = await sendJson(`${API}/jobs/${target}/analyze`, "POST", body);
      location.hash = `#/job/${reanalysis.id}`;
    } catch (error) {
      message.textContent = `${error.code}: ${error.message}`;
    }
  });
  return form;
}
