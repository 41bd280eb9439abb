// Ipam operator console: a small single-page client of the /v1 API, as ES modules served from /ui/.
// No dependencies, no build step. This module routes the address bar's #/... to the views.
import { openEvents } from "./events.js";
import { openPools } from "./pools.js";
import { openSubnet } from "./subnet.js";
import { openSubnets } from "./subnets.js";

function route(event) {
  const focus = Boolean(event);
  const hash = location.hash || "#/";
  const detail = /^#\/subnets\/([0-9A-Fa-f-]{36})$/.exec(hash);
  if (detail) openSubnet(detail[1], focus);
  else if (hash === "#/pools") openPools(focus);
  else if (hash === "#/events") openEvents(focus);
  else openSubnets(focus);
}

window.addEventListener("hashchange", route);
route();
