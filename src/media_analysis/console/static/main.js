// The router: one view per hash (#/submit, #/jobs, #/search, #/job/ID), the key, notices.
import { apiKey, onUnauthorized, setApiKey } from "./api.js";
import { jobsView, searchView } from "./find.js";
import { jobView } from "./job.js";
import { serviceView } from "./service.js";
import { submitView } from "./submit.js";

const VIEWS = {
  submit: () => submitView(),
  jobs: (route, scope) => jobsView(route.params, scope),
  search: (route, scope) => searchView(route.params, scope),
  job: (route, scope) => jobView(route.id, route.params, scope),
  service: (route, scope) => serviceView(scope),
};

const view = document.getElementById("view");
const notice = document.getElementById("notice");
const keyInput = document.getElementById("api-key");
let current = null;

function parseHash() {
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  return { name: parts[0] || "submit", id: parts[1], params: new URLSearchParams(query || "") };
}

function viewScope() {
  const controller = new AbortController();
  const urls = [];
  return {
    signal: controller.signal,
    track(url) {
      urls.push(url);
      return url;
    },
    close() {
      controller.abort();
      urls.forEach((url) => URL.revokeObjectURL(url));
    },
    refresh: render,
    fail: (error) => {
      // A 401 has its own notice, from onUnauthorized.
      if (controller.signal.aborted || error.status === 401) return;
      showNotice(`${error.code || "error"}: ${error.message}`);
    },
  };
}

function render() {
  current?.close();
  current = viewScope();
  const route = parseHash();
  const build = VIEWS[route.name] || VIEWS.submit;
  view.replaceChildren(build(route, current));
  document.querySelectorAll("[data-nav]").forEach((link) => {
    if (link.dataset.nav === route.name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  });
}

function showNotice(text) {
  notice.textContent = text;
  notice.hidden = false;
}

onUnauthorized((error) => {
  showNotice(`The server refused the API key (401 Unauthorized): ${error.message} `
    + "Enter a valid key above and press \u201cUse key\u201d.");
  keyInput.focus();
});

document.getElementById("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  setApiKey(keyInput.value.trim());
  notice.hidden = true;
  render();
});

keyInput.value = apiKey();
window.addEventListener("hashchange", () => {
  notice.hidden = true;
  render();
  view.focus({ preventScroll: true });
});
render();
