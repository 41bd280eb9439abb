// A text/event-stream reader over fetch. The browser's EventSource cannot send an Authorization header, so with
// authentication on it could never stream; this one sends the stored token, and otherwise behaves as
// EventSource does: it parses id/event/data/retry lines, and after a drop reconnects with Last-Event-ID.
import { askForToken, storedToken } from "./token.js";

/** Turns decoded text, in chunks of any size, into events `{id, type, data}` (the HTML standard's parsing rules). */
export class EventStreamParser {
  lastEventId = "";
  retry = null;
  #buffer = "";
  #data = [];
  #type = "";

  /** Forgets a half-received event, as a new connection must; the last event id stays. */
  reset() {
    this.#buffer = "";
    this.#data = [];
    this.#type = "";
  }

  push(text) {
    this.#buffer += text;
    const events = [];
    const endOfLine = /\r\n|\r|\n/g;
    let start = 0;
    for (let match; (match = endOfLine.exec(this.#buffer));) {
      // A CR at the end may be the first half of a CRLF whose LF comes with the next chunk.
      if (match[0] === "\r" && endOfLine.lastIndex === this.#buffer.length) break;
      this.#line(this.#buffer.slice(start, match.index), events);
      start = endOfLine.lastIndex;
    }
    this.#buffer = this.#buffer.slice(start);
    return events;
  }

  #line(line, events) {
    if (line === "") {
      if (this.#data.length) events.push({ id: this.lastEventId, type: this.#type || "message", data: this.#data.join("\n") });
      this.#data = [];
      this.#type = "";
      return;
    }
    const colon = line.indexOf(":");
    if (colon === 0) return; // a comment, such as the server's heartbeat
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(line[colon + 1] === " " ? colon + 2 : colon + 1);
    if (field === "data") this.#data.push(value);
    else if (field === "event") this.#type = value;
    else if (field === "id" && !value.includes("\0")) this.lastEventId = value;
    else if (field === "retry" && /^\d+$/.test(value)) this.retry = Number(value);
  }
}

const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 30_000;

/** The wait a refusal asks for in its Retry-After header (seconds), in milliseconds; 0 when it names none. */
function retryAfterMs(response) {
  const seconds = Number(response.headers.get("Retry-After"));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/** The `code` of a problem document answered instead of the stream, or null. */
async function problemCode(response) {
  try {
    return (await response.json())?.code ?? null;
  } catch {
    return null;
  }
}

/**
 * Follows the stream at `url` until close(): each event goes to onEvent, or the events of each chunk received
 * together to onEvents (for a page that draws a burst at once), and onStatus hears "connecting", "live",
 * "reconnecting", "unauthenticated" (no token was given), "token-refused" (the token sent was refused and no other
 * given), "expired" (410 cursor-expired: the change log's retention removed changes after the last event received
 * before they were read) or "refused" (any other 4xx answer). A 429 (too many followers or requests), a 5xx or a
 * network error is retried, waiting longer each time and at least as long as the answer's Retry-After.
 */
export function followEventStream(url, { onEvent, onEvents, onStatus }) {
  const stop = new AbortController();
  const parser = new EventStreamParser();
  const pause = (ms) => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    stop.signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });

  async function read(body) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    parser.reset();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const events = parser.push(decoder.decode(value, { stream: true }));
      if (onEvents) {
        if (events.length) onEvents(events);
      } else {
        for (const event of events) onEvent(event);
      }
    }
  }

  async function run() {
    onStatus("connecting");
    for (let failures = 0; !stop.signal.aborted;) {
      let asked = 0; // the Retry-After of a refusal to wait out
      const sent = storedToken();
      const headers = { Accept: "text/event-stream" };
      if (sent) headers.Authorization = `Bearer ${sent}`;
      if (parser.lastEventId) headers["Last-Event-ID"] = parser.lastEventId;
      try {
        const response = await fetch(url, { headers, cache: "no-store", signal: stop.signal });
        if (response.status === 401) {
          await response.body?.cancel();
          if (await askForToken(sent)) continue;
          onStatus(sent ? "token-refused" : "unauthenticated");
          return;
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          const expired = response.status === 410 && (await problemCode(response)) === "cursor-expired";
          if (response.status !== 410) await response.body?.cancel();
          onStatus(expired ? "expired" : "refused", response.status);
          return;
        }
        if (response.ok && response.body) {
          onStatus("live");
          failures = 0;
          await read(response.body);
        } else {
          await response.body?.cancel();
          asked = retryAfterMs(response);
        }
      } catch (error) {
        if (stop.signal.aborted) return;
        console.warn("The events stream dropped:", error);
      }
      if (stop.signal.aborted) return;
      onStatus("reconnecting");
      await pause(Math.max(asked, Math.min((parser.retry ?? FIRST_RETRY_MS) * 2 ** failures++, LONGEST_RETRY_MS)));
    }
  }

  run();
  return { close: () => stop.abort() };
}
