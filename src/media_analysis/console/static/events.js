// A job's Server-Sent Events read with fetch(): EventSource cannot send the API key.
import { authHeaders, errorFromResponse } from "./api.js";

const TERMINAL = new Set(["completed", "failed", "cancelled"]);
const RECONNECT_MS = 1000;

export function parseEvent(block) {
  const event = { id: null, type: "message", data: [] };
  for (const line of block.split(/\r?\n/)) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") event.id = value;
    else if (field === "event") event.type = value;
    else if (field === "data") event.data.push(value);
  }
  if (!event.data.length && event.id === null) return null;
  return { id: event.id, type: event.type, data: parseData(event.data.join("\n")) };
}

function parseData(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// Calls onEvent for each event until a terminal one; reconnects with Last-Event-ID
// when the stream drops. Resolves with the terminal event, or null when aborted.
export async function followJob(url, onEvent, signal) {
  let lastEventId = null;
  while (!signal.aborted) {
    try {
      const terminal = await readStream(url, lastEventId, signal, (event) => {
        if (event.id !== null) lastEventId = event.id;
        onEvent(event);
      });
      if (terminal) return terminal;
    } catch (error) {
      if (signal.aborted) return null;
      if (error.status) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
  return null;
}

async function readStream(url, lastEventId, signal, onEvent) {
  const headers = authHeaders({ Accept: "text/event-stream" });
  if (lastEventId !== null) headers["Last-Event-ID"] = lastEventId;
  const response = await fetch(url, { headers, signal, cache: "no-store" });
  if (!response.ok) throw await errorFromResponse(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return null;
    buffer += value;
    const blocks = buffer.split(/\r?\n\r?\n/);
    buffer = blocks.pop();
    for (const block of blocks) {
      const event = parseEvent(block);
      if (!event) continue;
      onEvent(event);
      if (TERMINAL.has(event.type)) {
        reader.cancel().catch(() => {});
        return event;
      }
    }
  }
}
