// Where a finished job's outcome was sent (webhooks, Kommo notes), each attempt, and replay.
import { API, getJson, sendJson } from "./api.js";
import { el, section, statusBadge, when } from "./dom.js";

export async function deliveriesCard(job, scope) {
  const deliveries = await getJson(`${API}/jobs/${job.id}/deliveries`, { signal: scope.signal });
  if (!deliveries.length) return null;
  const card = section("Deliveries", el("div", { class: "scroll" },
    el("table", { class: "attempts" },
      el("thead", {}, el("tr", {}, ["To", "Event", "Status", "Attempts", "Last answer", ""].map(
        (name) => el("th", { scope: "col" }, name)))),
      el("tbody", {}, deliveries.map((delivery) => deliveryRow(delivery, scope))))));
  card.id = "deliveries";
  return card;
}

function deliveryRow(delivery, scope) {
  const last = delivery.attempts[delivery.attempts.length - 1];
  const answer = last ? last.error || `HTTP ${last.status_code}` : "";
  const message = el("span", { class: "form-message", role: "status" });
  const replay = el("button", { type: "button", class: "replay" }, "Send again");
  replay.addEventListener("click", async () => {
    replay.disabled = true;
    try {
      await sendJson(`${API}/webhooks/deliveries/${delivery.id}/retry`, "POST", {});
      message.textContent = "Queued again.";
      setTimeout(() => scope.refresh(), 1500);
    } catch (error) {
      message.textContent = `${error.code}: ${error.message}`;
      replay.disabled = false;
    }
  });
  return el("tr", { class: "delivery" },
    el("td", { class: "wrap" }, delivery.url || `Kommo lead ${delivery.kommo_lead_id}`),
    el("td", {}, delivery.event_type),
    el("td", {}, statusBadge(delivery.status)),
    el("td", { class: "number", title: delivery.attempts.map((a) => when(a.attempted_at)).join("\n") },
      String(delivery.attempts.length)),
    el("td", {}, answer),
    el("td", {}, replay, message));
}
