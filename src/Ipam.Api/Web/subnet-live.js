// The subnet page follows the events feed: a change to this subnet or its allocations, made by anyone through
// any instance, reloads its usage, allocations and map, once per burst of events, keeping the focus where it was.
import { followEventStream } from "./event-stream.js";
import { parseExact } from "./json.js";
import { onLeave } from "./views.js";

const SETTLE_MS = 250;
let stream = null;
let followed = null;
let timer = null;

/** Follows changes of subnet `id` until the page leaves it; `reload` brings the page up to date. */
export function followSubnet(id, reload) {
  if (stream && followed === id) return;
  stopFollowing();
  followed = id;
  // tail=1 starts at the end of the log: what is shown was loaded just now.
  stream = followEventStream("v1/events?tail=1", {
    onEvent: (message) => {
      const change = parseExact(message.data);
      if (change.subnet_id !== followed || change.type === "subnet.deleted") return;
      clearTimeout(timer);
      timer = setTimeout(() => refresh(id, reload), SETTLE_MS);
    },
    onStatus: () => {},
  });
}

function stopFollowing() {
  stream?.close();
  stream = null;
  followed = null;
  clearTimeout(timer);
}

async function refresh(id, reload) {
  if (followed !== id) return;
  const focused = document.activeElement?.closest?.("#map-grid [data-address]")?.dataset.address;
  await reload();
  if (focused) document.querySelector(`#map-grid [data-address="${CSS.escape(focused)}"]`)?.focus();
}

onLeave("subnet", stopFollowing);
window.addEventListener("pagehide", stopFollowing);
