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
    onEvent: (message) => addEvent(parseExact(message.data)),
    onStatus: (name, detail) => {
      const text = STATUS[name];
      status.textContent = typeof text === "function" ? text(detail) : text;
    },
  });
}

function closeEvents() {
  stream?.close();
  stream = null;
}

onLeave("events", closeEvents);
window.addEventListener("pagehide", closeEvents);

function addEvent(e) {
  const body = $("#events-table tbody");
  // A stream resumed with Last-Event-ID starts after the last event shown; this only guards against a repeat.
  if ([...body.rows].some((row) => row.dataset.eventId === e.id)) return;
  const subject = e.subnet_id
    ? h("a", { class: "mono", href: `#/subnets/${e.subnet_id}` }, e.cidr || e.after?.cidr || e.before?.cidr || e.subnet_id)
    : h("span", { class: "mono nowrap" }, e.resource_id || "—");
  const address = e.ip_address ? [h("span", { class: "mono nowrap" }, e.ip_address), e.reason && e.reason !== "released" ? ` (${e.reason})` : ""] : "—";
  body.prepend(h("tr", { "data-event-id": e.id },
    cell("Time", timeText(e.at)),
    cell("Type", e.type),
    cell("Subnet or resource", subject),
    cell("Address", address),
    textCell("Actor", e.actor)));
  while (body.rows.length > EVENTS_SHOWN) body.lastElementChild.remove();
  $("#events-empty").hidden = true;
}
