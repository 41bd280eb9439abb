// The subnet page follows the events feed: a change to this subnet or its allocations, made by anyone through
// any instance, reloads its usage, allocations and map, once per burst of events (and at least once a second while
// a burst lasts), keeping the focus where it was.
import { api } from "./api.js";
import { followEventStream } from "./event-stream.js";
import { parseExact } from "./json.js";
import { onLeave } from "./views.js";

const SETTLE_MS = 250;
const LONGEST_WAIT_MS = 1000;
let stream = null;
let followed = null;
let timer = null;
let waitingSince = null; // when the first event not yet reloaded for arrived

/** Follows changes of subnet `id` until the page leaves it; `reload` brings the page up to date. */
export async function followSubnet(id, reload) {
  if (followed === id) return;
  stopFollowing();
  followed = id;
  // From the end of the log: what is shown was loaded just now.
  let end;
  try {
    end = (await api("GET", "v1/events?tail=1")).next;
  } catch {
    return;
  }
  if (followed !== id) return;
  stream = followEventStream(`v1/events?after=${encodeURIComponent(end)}`, {
    onEvent: (message) => {
      const change = parseExact(message.data);
      if (change.subnet_id !== followed) return;
      clearTimeout(timer);
      // A forced delete logs the releases of its allocations first: the burst they start ends with the deletion,
      // and there is nothing left to reload. The page keeps what it showed, and what is done on it reports the
      // subnet as not found.
      if (change.type === "subnet.deleted") {
        stopFollowing();
        return;
      }
      // Each event restarts the wait, but never past a second after the first one waiting.
      waitingSince ??= Date.now();
      const wait = Math.max(0, Math.min(SETTLE_MS, waitingSince + LONGEST_WAIT_MS - Date.now()));
      timer = setTimeout(() => {
        waitingSince = null;
        refresh(id, reload);
      }, wait);
    },
    onStatus: () => {},
  });
}

function stopFollowing() {
  stream?.close();
  stream = null;
  followed = null;
  clearTimeout(timer);
  waitingSince = null;
}

/** Reloads, then puts the focus back on the map cell or block at the same place, if it was on one. */
async function refresh(id, reload) {
  if (followed !== id) return;
  const grid = document.querySelector("#map-grid");
  const place = [...grid.querySelectorAll("button")].indexOf(document.activeElement);
  await reload();
  if (place >= 0) grid.querySelectorAll("button")[place]?.focus();
}

onLeave("subnet", stopFollowing);
window.addEventListener("pagehide", stopFollowing);
