// Every call to the API goes through here: the key header, problem+json errors, 401s.
const KEY_STORAGE = "media-analysis-api-key";
export const API = "/api/media";

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE) || "";
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

export function authHeaders(extra = {}) {
  const key = apiKey();
  return key ? { ...extra, "X-API-Key": key } : { ...extra };
}

const unauthorizedListeners = new Set();
export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
}

export async function errorFromResponse(response) {
  let code = `http_${response.status}`;
  let detail = `${response.status} ${response.statusText}`;
  try {
    const problem = await response.json();
    code = problem.code || code;
    detail = problem.detail || problem.title || detail;
  } catch {
    // Not problem+json (a proxy's page, say): the status line is all there is.
  }
  return failure(response.status, code, detail);
}

export function failure(status, code, detail) {
  const error = new ApiError(status, code, detail);
  if (status === 401) unauthorizedListeners.forEach((listener) => listener(error));
  return error;
}

export async function request(path, { method = "GET", json, headers = {}, signal } = {}) {
  const init = { method, headers: authHeaders({ Accept: "application/json", ...headers }), signal };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, init);
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

export async function getJson(path, options) {
  return (await request(path, options)).json();
}

export async function sendJson(path, method, json) {
  const response = await request(path, { method, json });
  return response.status === 204 ? null : response.json();
}

// Media elements and <img> cannot send headers: files are fetched with the key and
// shown from blob: URLs, which hold the whole file in the page's memory.
export async function blobUrl(path, signal) {
  const response = await request(path, { headers: { Accept: "*/*" }, signal });
  return URL.createObjectURL(await response.blob());
}

// fetch() reports no upload progress; XMLHttpRequest does.
export function upload(path, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    for (const [name, value] of Object.entries(authHeaders({ Accept: "application/json" }))) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => settleUpload(xhr, resolve, reject));
    xhr.addEventListener("error", () => reject(failure(0, "network_error", "The upload failed.")));
    xhr.send(formData);
  });
}

function settleUpload(xhr, resolve, reject) {
  let body = null;
  try {
    body = JSON.parse(xhr.responseText);
  } catch {
    body = null;
  }
  if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body);
  else reject(failure(xhr.status, body?.code || `http_${xhr.status}`, body?.detail || xhr.statusText));
}
