// The service itself: readiness, queue and workers, providers and their record, webhooks.
import { API, authHeaders, errorFromResponse, getJson, sendJson } from "./api.js";
import { el, section, statusBadge, when } from "./dom.js";

const EVENTS = ["job.completed", "job.failed", "job.cancelled", "job.progress"];

export function serviceView(scope) {
  const view = el("div", { class: "service", id: "service-view" });
  const cards = [statusCard, readinessCard, benchmarkCard, webhooksCard];
  for (const build of cards) {
    const slot = el("div", {}, el("p", { class: "hint" }, "Loading…"));
    view.append(slot);
    build(scope).then((card) => slot.replaceChildren(card)).catch((error) => {
      slot.replaceChildren(section("Unavailable", el("p", {}, `${error.code}: ${error.message}`)));
    });
  }
  return view;
}

async function statusCard(scope) {
  const status = await getJson(`${API}/status`, { signal: scope.signal });
  const jobs = Object.entries(status.jobs).map(([name, count]) =>
    el("li", {}, statusBadge(name), ` ${count}`));
  const card = section("Status", facts([
    ["Up for", `${Math.round(status.uptime_seconds)} s`],
    ["Queue", `${status.queue.depth} waiting, oldest ${status.queue.oldest_pending_age_seconds} s`],
    ["Workers", `${status.workers.live} live, ${status.workers.running_jobs} jobs running`],
  ]), el("ul", { class: "counts", id: "job-counts" }, jobs));
  card.id = "status";
  return card;
}

async function readinessCard(scope) {
  const response = await fetchReadiness(scope);
  const rows = Object.entries(response.checks).map(([name, check]) =>
    [name, el("span", {}, statusBadge(check.status || "ok"), " ", summary(check))]);
  const card = section("Readiness", el("p", {}, statusBadge(response.status)), facts(rows));
  card.id = "readiness";
  return card;
}

// 503 still carries the report: it says which check failed.
async function fetchReadiness(scope) {
  const headers = authHeaders({ Accept: "application/json" });
  const response = await fetch(`${API}/health`, { headers, signal: scope.signal });
  if (response.ok || response.status === 503) return response.json();
  throw await errorFromResponse(response);
}

async function benchmarkCard(scope) {
  const report = await getJson(`${API}/benchmark`, { signal: scope.signal });
  const rows = report.providers.map((p) => el("tr", {},
    el("td", {}, p.kind), el("td", {}, p.provider), el("td", {}, p.model || ""),
    el("td", { class: "number" }, String(p.attempts)),
    el("td", { class: "number" }, p.success_rate == null ? "" : `${Math.round(p.success_rate * 100)} %`),
    el("td", { class: "number" }, p.latency_ms.p50 == null ? "" : `${Math.round(p.latency_ms.p50)} ms`),
    el("td", { class: "number" }, p.cost_usd == null ? "" : `$${p.cost_usd.toFixed(4)}`)));
  const card = section("Providers", el("div", { class: "scroll" }, el("table", { class: "attempts" },
    el("thead", {}, el("tr", {}, ["Kind", "Provider", "Model", "Attempts", "Success", "p50", "Cost"]
      .map((name) => el("th", { scope: "col" }, name)))),
    el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: 7 }, "No attempts yet."))))));
  card.id = "providers";
  return card;
}

async function webhooksCard(scope) {
  const list = el("ul", { class: "rows", id: "subscriptions" });
  const card = section("Webhook subscriptions",
    el("p", { class: "hint" }, "Every job's events, signed (Standard Webhooks); an administrator key is needed."),
    list, subscribeForm(list, scope));
  card.id = "webhooks";
  try {
    const subscriptions = await getJson(`${API}/webhooks`, { signal: scope.signal });
    list.append(...subscriptions.map((item) => subscriptionRow(item, scope)));
    if (!subscriptions.length) list.append(el("li", { class: "hint" }, "No subscriptions."));
  } catch (error) {
    if (error.status !== 403) throw error;
    list.append(el("li", { class: "hint" }, "This key may not manage subscriptions."));
  }
  return card;
}

function subscriptionRow(item, scope) {
  const remove = el("button", { type: "button", class: "danger" }, "Delete");
  remove.addEventListener("click", async () => {
    await sendJson(`${API}/webhooks/${item.id}`, "DELETE").catch(scope.fail);
    scope.refresh();
  });
  return el("li", { class: "subscription" },
    el("span", { class: "wrap" }, item.url || `Kommo lead ${item.kommo_lead_id}`), " ",
    el("small", {}, item.events.join(", "), item.enabled ? "" : " (disabled)"), " ",
    el("small", {}, when(item.created_at)), " ", remove);
}

function subscribeForm(list, scope) {
  const url = el("input", { id: "webhook-url", type: "url", required: true,
    placeholder: "https://example.com/hooks/media" });
  const boxes = EVENTS.map((name) => el("input", { type: "checkbox", value: name,
    id: `event-${name}`, checked: name !== "job.progress" }));
  const message = el("p", { class: "form-message", role: "status", id: "webhook-message" });
  const form = el("form", { id: "subscribe" },
    el("label", { for: "webhook-url" }, "Receiver URL"), url,
    el("fieldset", {}, el("legend", {}, "Events"), boxes.map((box) =>
      el("label", { class: "check", for: box.id }, box, ` ${box.value}`))),
    el("button", { type: "submit", class: "primary" }, "Subscribe"), message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const events = boxes.filter((box) => box.checked).map((box) => box.value);
    try {
      const created = await sendJson(`${API}/webhooks`, "POST", { url: url.value.trim(), events });
      message.replaceChildren("Subscribed. Its signing secret, shown only now: ",
        el("code", { id: "webhook-secret" }, created.secret));
      list.querySelector(".hint")?.remove();
      list.append(subscriptionRow(created, scope));
    } catch (error) {
      message.textContent = `${error.code}: ${error.message}`;
    }
  });
  return form;
}

function facts(rows) {
  return el("dl", { class: "facts" }, rows.map(([name, value]) => [el("dt", {}, name), el("dd", {}, value)]));
}

function summary(check) {
  return Object.entries(check).filter(([key]) => key !== "status")
    .map(([key, value]) => `${key}: ${described(value)}`)
    .join("; ");
}

// {"groq": {"configured": false}, "local": {"configured": true}} → "local (groq not configured)"
function described(value) {
  if (value === null || typeof value !== "object") return String(value);
  const entries = Object.entries(value);
  if (!entries.every(([, item]) => item && typeof item === "object" && "configured" in item)) {
    return JSON.stringify(value);
  }
  const ready = entries.filter(([, item]) => item.configured).map(([name]) => name);
  const missing = entries.filter(([, item]) => !item.configured).map(([name]) => name);
  return `${ready.join(", ") || "none"}${missing.length ? ` (not configured: ${missing.join(", ")})` : ""}`;
}
