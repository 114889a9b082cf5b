// A document's extracted text, section by section (pages, slides, sheets or headings).
import { getJson } from "./api.js";
import { el, section } from "./dom.js";

export function documentCard(asset, params, scope) {
  const body = el("div", { class: "document", id: "document-text" }, el("p", {}, "Loading the text…"));
  const card = section("Document text", body);
  card.id = "document";
  getJson(asset.url, { signal: scope.signal, headers: { Accept: "application/json" } })
    .then((stored) => showSections(body, stored, Number(params.get("section"))))
    .catch((error) => body.replaceChildren(el("p", { class: "form-message" }, `${error.code}: ${error.message}`)));
  return card;
}

function showSections(body, stored, wanted) {
  const unit = stored.unit || "section";
  const articles = stored.sections.map((part) => el("article", { id: `section-${part.index}` },
    el("h3", {}, `${unit} ${part.index}${part.title ? `: ${part.title}` : ""}`),
    el("p", { class: "section-text" }, part.text)));
  body.replaceChildren(el("p", { class: "hint" }, `${stored.kind}, ${articles.length} ${unit}(s)`), ...articles);
  const target = wanted ? body.querySelector(`#section-${wanted}`) : null;
  if (target) {
    target.classList.add("wanted");
    target.scrollIntoView({ block: "start" });
  }
}
