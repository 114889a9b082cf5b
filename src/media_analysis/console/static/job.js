// One job: its status, live progress, cancel/delete, its error, then everything it produced.
import { API, getJson, request, sendJson } from "./api.js";
import { deliveriesCard } from "./deliveries.js";
import { el, section, statusBadge, when } from "./dom.js";
import { followJob } from "./events.js";
import { resultCards } from "./results.js";

const RUNNING = new Set(["pending", "processing"]);

export function jobView(id, params, scope) {
  const view = el("div", { class: "job", id: "job-view" }, el("p", {}, "Loading the job…"));
  show(view, id, params, scope).catch((error) => view.replaceChildren(errorCard(error)));
  return view;
}

async function show(view, id, params, scope) {
  let job = await getJson(`${API}/jobs/${id}`, { signal: scope.signal });
  view.replaceChildren(summaryCard(job, scope));
  if (RUNNING.has(job.status)) {
    const live = progressCard(job);
    view.append(live.card);
    await followJob(`${API}/jobs/${id}/events`, live.update, scope.signal);
    if (scope.signal.aborted) return;
    job = await getJson(`${API}/jobs/${id}`, { signal: scope.signal });
    live.finish(job);
    view.firstChild.replaceWith(summaryCard(job, scope));
  }
  if (job.status === "failed" || job.status === "cancelled") view.append(failureCard(job));
  if (job.status === "completed") view.append(...(await resultCards(job, params, scope)));
  const deliveries = await deliveriesCard(job, scope);
  if (deliveries) view.append(deliveries);
}

function summaryCard(job, scope) {
  const facts = [
    ["Job", el("code", {}, job.id)],
    ["Created", when(job.created_at)],
    ["Media", job.media_url ? el("span", { class: "wrap" }, job.media_url) : null],
    ["File", job.original_filename],
    ["Media type", job.media_type],
    ["Prompt", job.prompt],
    ["Processing time", job.processing_time_ms ? `${(job.processing_time_ms / 1000).toFixed(1)} s` : null],
  ];
  const source = job.parameters?.source_job_id;
  if (source) facts.push(["Re-analysis of", el("a", { href: `#/job/${source}` }, source)]);
  return el("section", { class: "card", id: "job-summary" },
    el("h2", {}, `${job.job_type} `, statusBadge(job.status)),
    el("dl", { class: "facts" }, facts.filter(([, value]) => value).map(
      ([name, value]) => [el("dt", {}, name), el("dd", {}, value)])),
    el("div", { class: "actions" }, jobActions(job, scope)));
}

function jobActions(job, scope) {
  const message = el("span", { class: "form-message", role: "status" });
  if (RUNNING.has(job.status)) {
    const cancel = el("button", { type: "button", id: "cancel-job" }, "Cancel job");
    cancel.addEventListener("click", async () => {
      cancel.disabled = true;
      try {
        await request(`${API}/jobs/${job.id}`, { method: "DELETE" });
        message.textContent = "Cancelling…";
      } catch (error) {
        message.textContent = `${error.code}: ${error.message}`;
        cancel.disabled = false;
      }
    });
    return [cancel, message];
  }
  const remove = el("button", { type: "button", class: "danger" }, "Delete job and files");
  remove.addEventListener("click", async () => {
    if (!confirm("Delete this job, its results and its files?")) return;
    try {
      await sendJson(`${API}/jobs/${job.id}`, "DELETE");
      location.hash = "#/jobs";
    } catch (error) {
      message.textContent = `${error.code}: ${error.message}`;
    }
  });
  const refresh = el("button", { type: "button", onclick: () => scope.refresh() }, "Refresh");
  return [refresh, remove, message];
}

function progressCard(job) {
  const bar = el("progress", { id: "job-progress", max: "100", value: String(job.progress.percent) });
  const label = el("p", { id: "job-stage", "aria-live": "polite" },
    `${job.progress.stage} — ${job.progress.percent} %`);
  const stages = el("ol", { id: "stages", class: "stages" });
  const rows = new Map();
  const update = (event) => {
    if (event.type !== "progress") return;
    const { stage, percent, message } = event.data;
    bar.value = percent;
    label.textContent = `${stage} — ${percent} %${message ? ` — ${message}` : ""}`;
    if (!rows.has(stage)) {
      rows.set(stage, el("li", {}));
      stages.append(rows.get(stage));
    }
    rows.get(stage).textContent = `${stage}: ${percent} %${message ? ` (${message})` : ""}`;
  };
  const card = section("Progress", bar, label, stages);
  card.id = "progress-card";
  const finish = (finished) => {
    bar.value = finished.status === "completed" ? 100 : bar.value;
    label.textContent = `Finished: ${finished.status}`;
  };
  return { card, update, finish };
}

function failureCard(job) {
  const error = job.error || { code: job.status, message: "The job was cancelled." };
  return el("section", { class: "card failure", id: "job-error", role: "alert" },
    el("h2", {}, job.status === "cancelled" ? "Cancelled" : "Failed"),
    el("p", {}, el("code", { class: "error-code" }, error.code), " ", error.message));
}

export function errorCard(error) {
  return el("section", { class: "card failure", role: "alert" },
    el("h2", {}, "Could not load this"),
    el("p", {}, el("code", { class: "error-code" }, error.code || "error"), " ", error.message));
}
