// Finding jobs: the list with its filters and pages, and the archive's full-text search.
import { API, getJson } from "./api.js";
import { clock, el, markedSnippet, statusBadge, when } from "./dom.js";

const STATUSES = ["", "pending", "processing", "completed", "failed", "cancelled"];
const JOB_TYPES = ["", "analyze", "video", "video.extract_frames", "video.contact_sheet", "audio",
  "audio.transcribe", "document", "reanalyze"];
const PAGE_SIZE = 20;

export function jobsView(params, scope) {
  const status = select("filter-status", STATUSES, params.get("status"));
  const type = select("filter-type", JOB_TYPES, params.get("job_type"));
  const list = el("ul", { class: "rows", id: "job-list" });
  const more = el("button", { type: "button", id: "more-jobs", hidden: true }, "More");
  const filters = el("form", { class: "filters" },
    el("label", { for: "filter-status" }, "Status"), status,
    el("label", { for: "filter-type" }, "Type"), type,
    el("button", { type: "submit" }, "Filter"));
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    if (status.value) query.set("status", status.value);
    if (type.value) query.set("job_type", type.value);
    location.hash = `#/jobs?${query}`;
  });
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const name of ["status", "job_type"]) if (params.get(name)) query.set(name, params.get(name));
  pages(`${API}/jobs`, query, { list, more, row: jobRow, empty: "No jobs." }, scope);
  return el("section", { class: "card" }, el("h2", {}, "Jobs"), filters, list, more);
}

// Cursor paging: each press of "More" appends the next page.
function pages(path, query, { list, more, row, empty }, scope) {
  const load = async (cursor) => {
    if (cursor) query.set("cursor", cursor);
    const page = await getJson(`${path}?${query}`, { signal: scope.signal });
    list.append(...page.items.map(row));
    if (!list.children.length) list.append(el("li", { class: "hint" }, empty));
    more.hidden = !page.next_cursor;
    more.onclick = () => load(page.next_cursor).catch(scope.fail);
  };
  load(null).catch(scope.fail);
}

function select(id, values, current) {
  return el("select", { id }, values.map((value) =>
    el("option", { value, selected: value === (current || "") }, value || "any")));
}

function jobRow(job) {
  return el("li", {},
    el("a", { href: `#/job/${job.id}` }, job.job_type), " ", statusBadge(job.status),
    el("span", { class: "hint" }, ` ${when(job.created_at)}`),
    job.prompt ? el("span", { class: "row-detail" }, job.prompt) : null);
}

export function searchView(params, scope) {
  const input = el("input", { type: "search", id: "search-q", value: params.get("q") || "",
    placeholder: "words said, read or found", required: true });
  const form = el("form", { class: "filters", role: "search" },
    el("label", { for: "search-q" }, "Search the archive"), input, el("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `#/search?${new URLSearchParams({ q: input.value.trim() })}`;
  });
  const results = el("ul", { class: "rows", id: "search-results" });
  const more = el("button", { type: "button", hidden: true }, "More");
  if (params.get("q")) {
    const query = new URLSearchParams({ q: params.get("q") });
    pages(`${API}/archive`, query, { list: results, more, row: hitRow, empty: "Nothing found." }, scope);
  }
  return el("section", { class: "card" }, el("h2", {}, "Search"), form, results, more);
}

function hitRow(hit) {
  return el("li", { class: "hit" },
    el("a", { href: `#/job/${hit.job.id}` }, hit.job.job_type),
    el("span", { class: "hint" }, ` ${when(hit.job.created_at)}`),
    el("ul", { class: "matches" }, hit.matches.map((match) => el("li", {},
      el("span", { class: "badge" }, match.source), " ",
      el("a", { href: matchLink(hit.job.id, match), class: "snippet" }, markedSnippet(match.snippet)),
      match.timestamp != null ? el("span", { class: "hint" }, ` at ${clock(match.timestamp)}`) : null))));
}

function matchLink(jobId, match) {
  const query = new URLSearchParams();
  if (match.timestamp != null) query.set("t", String(match.timestamp));
  if (match.section != null) query.set("section", String(match.section));
  return `#/job/${jobId}${query.size ? `?${query}` : ""}`;
}
