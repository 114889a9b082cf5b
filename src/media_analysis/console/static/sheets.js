// Contact sheets whose tiles open their frame, and every frame as a filmstrip.
import { blobUrl } from "./api.js";
import { clock, el, section } from "./dom.js";

export function sheetsCard(sheets, frames, scope) {
  const byIndex = new Map(frames.map((frame) => [frame.frame_index, frame]));
  const ordered = [...sheets].sort((a, b) => (a.frame_index ?? 0) - (b.frame_index ?? 0));
  const card = section(`Contact sheets (${ordered.length})`,
    el("div", { class: "sheets" }, ordered.map((sheet, index) => sheetFigure(sheet, index, byIndex, scope))));
  card.id = "sheets";
  return card;
}

function sheetFigure(sheet, index, byIndex, scope) {
  const image = el("img", { alt: `Contact sheet ${index + 1}`, width: sheet.width, height: sheet.height });
  lazyImage(image, sheet.url, scope);
  const tiles = (sheet.metadata.tiles || []).map((tile) => tileButton(tile, sheet, byIndex, scope));
  return el("figure", { class: "sheet" },
    el("div", { class: "sheet-frame" }, image, tiles),
    el("figcaption", {}, `Sheet ${index + 1}: ${tiles.length} frames`));
}

function tileButton(tile, sheet, byIndex, scope) {
  const [x, y, width, height] = tile.box;
  const label = `Frame ${tile.frame_index} at ${clock(tile.timestamp)}`;
  const button = el("button", { type: "button", class: "tile", "aria-label": label, title: label,
    dataset: { frameIndex: tile.frame_index } });
  // CSSOM, not a style attribute: the page's Content-Security-Policy forbids inline styles.
  Object.assign(button.style, {
    left: `${(100 * x) / sheet.width}%`, top: `${(100 * y) / sheet.height}%`,
    width: `${(100 * width) / sheet.width}%`, height: `${(100 * height) / sheet.height}%`,
  });
  button.addEventListener("click", () => showFrame(byIndex.get(tile.frame_index), tile, scope));
  return button;
}

export function filmstripCard(frames, scope) {
  const strip = el("ol", { class: "filmstrip", id: "filmstrip" }, frames.map((frame) => {
    const image = el("img", { alt: "", width: frame.width, height: frame.height });
    lazyImage(image, frame.url, scope);
    const label = `Frame ${frame.frame_index} at ${clock(frame.timestamp_seconds)}`;
    return el("li", {}, el("button", { type: "button", class: "thumb", "aria-label": label,
      onclick: () => showFrame(frame, { frame_index: frame.frame_index, timestamp: frame.timestamp_seconds }, scope) },
    image, el("span", {}, clock(frame.timestamp_seconds))));
  }));
  const card = section(`Frames (${frames.length})`, strip);
  card.id = "frames";
  return card;
}

async function showFrame(frame, tile, scope) {
  const dialog = document.getElementById("frame-dialog");
  const image = document.getElementById("frame-image");
  const title = document.getElementById("frame-title");
  title.textContent = `Frame ${tile.frame_index} at ${clock(tile.timestamp)}`;
  image.removeAttribute("src");
  image.alt = title.textContent;
  image.dataset.frameIndex = tile.frame_index;
  if (!dialog.open) dialog.showModal();
  if (!frame) {
    title.textContent += " (the frame file is gone)";
    return;
  }
  image.src = scope.track(await blobUrl(frame.url, scope.signal));
}

// Images need the API key, so they are fetched as blobs, and only once scrolled near.
const observed = new WeakMap();
const observer = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    observer.unobserve(entry.target);
    observed.get(entry.target)?.();
  }
}, { rootMargin: "400px" });

function lazyImage(image, url, scope) {
  observed.set(image, async () => {
    if (scope.signal.aborted) return;
    try {
      image.src = scope.track(await blobUrl(url, scope.signal));
    } catch {
      image.alt = "The image could not be loaded.";
    }
  });
  observer.observe(image);
}
