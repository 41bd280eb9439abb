// The Events page: the latest changes, newest first, and each new one as it commits.
import { $, cell, h, textCell, timeText } from "./dom.js";
import { followEventStream } from "./event-stream.js";
import { parseExact } from "./json.js";
import { onLeave, show } from "./views.js";

const EVENTS_SHOWN = 200;
const STATUS = {
  connecting: "Connecting…",
  live: "Live.",
  reconnecting: "Reconnecting…",
  unauthenticated: "Not following: this server needs an API token (Enter token… at the top of the page).",
  "token-refused": "Not following: the server refused the API token (Enter token… at the top of the page).",
  expired: "Not following: changes after the last one shown were removed by the server's change-log retention " +
    "(--history-days) before this page could read them, so some are missing here. Reload the page to follow again from the latest changes.",
  refused: (status) => `Not following: the server refused the events feed (HTTP ${status}).`,
};
let stream = null;

export function openEvents(focus) {
  show("events", "Events", focus);
  if (stream) return;
  $("#events-table tbody").replaceChildren();
  $("#events-empty").hidden = false;
  const status = $("#events-status");
  stream = followEventStream(`v1/events?tail=${EVENTS_SHOWN}`, {
    onEvents: queue,
    onStatus: (name, detail) => {
      const text = STATUS[name];
      status.textContent = typeof text === "function" ? text(detail) : text;
    },
  });
}

function closeEvents() {
  stream?.close();
  stream = null;
  cancelAnimationFrame(drawing);
  drawing = 0;
  pending = [];
}

onLeave("events", closeEvents);
window.addEventListener("pagehide", closeEvents);

// A bulk allocation of thousands of addresses logs an event each, and they arrive in a rush: they wait here (only
// the newest EVENTS_SHOWN, unparsed) and are drawn together, once per frame at most, in one change to the table.
let pending = [];
let drawing = 0;

function queue(messages) {
  pending = pending.concat(messages.slice(-EVENTS_SHOWN)).slice(-EVENTS_SHOWN);
  if (!drawing) drawing = requestAnimationFrame(draw);
}

function draw() {
  drawing = 0;
  const body = $("#events-table tbody");
  // A stream resumed with Last-Event-ID starts after the last event shown; this only guards against a repeat.
  const ids = new Set([...body.rows].map((row) => row.dataset.eventId));
  const rows = [];
  for (const message of pending.reverse()) {
    const e = parseExact(message.data);
    if (ids.has(e.id)) continue;
    ids.add(e.id);
    rows.push(eventRow(e));
  }
  pending = [];
  if (rows.length === 0) return;
  body.replaceChildren(...rows, ...[...body.rows].slice(0, Math.max(0, EVENTS_SHOWN - rows.length)));
  $("#events-empty").hidden = true;
}

function eventRow(e) {
  const subject = e.subnet_id
    ? h("a", { class: "mono", href: `#/subnets/${e.subnet_id}` }, e.cidr || e.after?.cidr || e.before?.cidr || e.subnet_id)
    : h("span", { class: "mono nowrap" }, e.resource_id || "—");
  const address = e.ip_address ? [h("span", { class: "mono nowrap" }, e.ip_address), e.reason && e.reason !== "released" ? ` (${e.reason})` : ""] : "—";
  return h("tr", { "data-event-id": e.id },
    cell("Time", timeText(e.at)),
    cell("Type", e.type),
    cell("Subnet or resource", subject),
    cell("Address", address),
    textCell("Actor", e.actor));
}
