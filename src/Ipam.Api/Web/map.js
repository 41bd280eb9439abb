// The address map of the subnet on show: one cell per address for 256 addresses or fewer, else aligned blocks
// coloured by how full their pools are, with click-to-zoom and breadcrumbs back out. A cell opens its allocation
// and history, and allocates or releases that one address. The cells are buttons in one tab stop; arrow keys,
// Home and End move between them.
import { api } from "./api.js";
import { $, busy, byIds, clear, h, muted, showOk, time } from "./dom.js";
import { historyTable } from "./history.js";
import { big, count } from "./json.js";
import { problemMessage, showError } from "./problems.js";
import { routedSubnet, state, stillOn } from "./state.js";
import { reloadCurrent } from "./subnet.js";
import { percentage } from "./usage.js";

const COLUMNS = 16;
const [grid, crumbs, summary, detail, mapMsg] = byIds("map-grid", "map-crumbs", "map-summary", "map-detail", "map-msg");

const STATES = {
  allocated: { label: "allocated", mark: "" },
  free: { label: "free", mark: "" },
  gateway: { label: "gateway", mark: "G" },
  network: { label: "network address", mark: "N" },
  broadcast: { label: "broadcast address", mark: "B" },
  "outside-pools": { label: "outside the pools", mark: "" },
};

/** Starts the map of a newly opened subnet at the whole subnet. */
export function resetMap() {
  state.map = { trail: [], selected: null, reload: null };
  clear(grid, crumbs, summary, detail, mapMsg);
  delete grid.dataset.within;
}

/** Reloads the part of the subnet on show (after a change), keeping the zoom and the selected address. */
export async function loadMap() {
  const subnet = routedSubnet();
  if (!subnet) return;
  const map = state.map;
  if (map.trail.length === 0) map.trail = [subnet.cidr];
  const within = map.trail[map.trail.length - 1];
  const hostBits = (subnet.ip_version === 4 ? 32 : 128) - Number(within.split("/")[1]);
  // Blocks of at least 256 addresses, so that zooming into a block of a /16 shows every address of it.
  const blocks = 2 ** Math.max(0, Math.min(8, hostBits - 8));
  const params = new URLSearchParams({ within, blocks: String(blocks) });
  const request = api("GET", `v1/subnets/${subnet.id}/map?${params}`);
  map.reload = request;
  try {
    const result = await request;
    if (map.reload !== request || !stillOn(subnet.id)) return; // a newer load or another subnet won
    render(result);
    if (mapMsg.querySelector(".error")) clear(mapMsg);
  } catch (error) {
    if (map.reload === request && stillOn(subnet.id)) showError(mapMsg, error, "Could not load the address map");
  }
}

function render(result) {
  renderCrumbs();
  const cells = result.cells
    ? result.cells.map(addressCell)
    : result.blocks.map(blockCell);
  grid.setAttribute("aria-label", result.cells ? `Addresses of ${result.within}` : `Blocks of ${result.within}, /${result.block_prefixlen} each`);
  grid.classList.toggle("blocks", !result.cells);
  $("#map-panel").classList.toggle("showing-blocks", !result.cells);
  // A reload's new cells replace the old: one that had the focus hands it to the new cell of its address (or place),
  // whichever of several overlapping reloads renders last. Zooming elsewhere puts the focus where zoomTo says.
  const reloaded = grid.dataset.within === result.within;
  const focused = reloaded ? [...grid.children].indexOf(document.activeElement) : -1;
  const focusedAddress = document.activeElement?.dataset?.address;
  grid.dataset.within = result.within;
  grid.replaceChildren(...cells);
  const selected = result.cells?.findIndex((c) => c.ip_address === state.map.selected) ?? -1;
  roving(cells[Math.max(0, selected)]);
  if (focused >= 0) (cells.find((cell) => focusedAddress && cell.dataset.address === focusedAddress) || cells[focused])?.focus();
  summary.replaceChildren(result.cells ? cellsSummary(result) : blocksSummary(result));
  if (result.cells) {
    if (selected >= 0) showCell(result.cells[selected]);
    else clear(detail);
  } else {
    clear(detail);
  }
}

function renderCrumbs() {
  const trail = state.map.trail;
  crumbs.replaceChildren(h("ol", {}, trail.map((cidr, i) => h("li", {}, i === trail.length - 1
    ? h("span", { "aria-current": "location", class: "mono" }, cidr)
    : h("button", {
      type: "button", class: "link mono", "aria-label": `Zoom out to ${cidr}`,
      onclick: () => zoomTo(trail.slice(0, i + 1)),
    }, cidr)))));
}

function zoomTo(trail) {
  state.map.trail = trail;
  state.map.selected = null;
  return loadMap().then(() => grid.querySelector("[tabindex='0']")?.focus());
}

// ---- cells

function addressCell(c) {
  const info = STATES[c.state] || { label: c.state, mark: "" };
  const owner = c.state === "allocated" && c.owner ? ` to ${c.owner}` : "";
  const label = `${c.ip_address}: ${info.label}${owner}`;
  return h("button", {
    type: "button", class: `cell s-${c.state}`, "aria-label": label, title: label, tabindex: "-1",
    "data-address": c.ip_address, "aria-pressed": String(c.ip_address === state.map.selected),
    onclick: (e) => select(c, e.currentTarget),
  }, info.mark);
}

function cellsSummary(result) {
  const tally = {};
  for (const c of result.cells) tally[c.state] = (tally[c.state] || 0) + 1;
  const parts = Object.keys(STATES).filter((s) => tally[s]).map((s) => `${tally[s]} ${STATES[s].label}`);
  return `${result.within}: ${result.cells.length} addresses — ${parts.join(", ")}. Choose an address to see or change it.`;
}

async function select(c, button) {
  state.map.selected = c.ip_address;
  for (const other of grid.querySelectorAll("[aria-pressed='true']")) other.setAttribute("aria-pressed", "false");
  button.setAttribute("aria-pressed", "true");
  roving(button);
  showCell(c);
}

function showCell(c) {
  const subnet = routedSubnet();
  const info = STATES[c.state] || { label: c.state };
  const facts = [["State", info.label]];
  if (c.state === "allocated") {
    facts.push(["Owner", c.owner || muted("—")], ["Description", c.description || muted("—")],
      ["Allocated", time(c.created_at)], ["Expires", c.expires_at ? time(c.expires_at) : muted("never")]);
  }
  const actions = [];
  if (c.state === "allocated") {
    actions.push(h("button", { type: "button", class: "danger", onclick: (e) => releaseCell(c, e.currentTarget) }, "Release this address"));
  } else if (c.state !== "network" && c.state !== "broadcast") {
    actions.push(
      h("div", { class: "field" }, h("label", { for: "m-owner" }, "Owner of the new allocation"),
        h("input", { id: "m-owner", autocomplete: "off", placeholder: "port or device id" })),
      h("button", { type: "button", class: "primary", onclick: (e) => allocateCell(c, e.currentTarget) }, "Allocate this address"));
  }
  // Scrolls sideways on narrow screens, so it is a focusable region that keyboards can scroll too.
  const history = h("div", { class: "map-history", role: "region", tabindex: "0", "aria-label": `History of ${c.ip_address}`, "aria-live": "polite" },
    muted("Loading the history…"));
  detail.replaceChildren(
    h("h3", { id: "map-detail-title" }, c.ip_address),
    h("dl", { class: "facts" }, facts.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v)))),
    actions.length ? h("div", { class: "row" }, actions) : h("p", { class: "muted" }, "Not a host address: it cannot be allocated."),
    h("h4", {}, "History"), history);
  loadHistory(subnet, c.ip_address, history);
}

async function loadHistory(subnet, address, area) {
  try {
    const result = await api("GET", `v1/subnets/${subnet.id}/allocations/${encodeURIComponent(address)}/history?limit=20`);
    if (!area.isConnected) return;
    area.replaceChildren(result.items.length ? historyTable(address, result.items) : muted("Never allocated (within the history kept)."));
  } catch (error) {
    area.replaceChildren(problemMessage(error, `Could not load the history of ${address}`));
  }
}

function allocateCell(c, button) {
  const body = { ip_address: c.ip_address };
  const owner = $("#m-owner")?.value.trim();
  if (owner) body.owner = owner;
  if (c.state === "gateway") body.allow_gateway = true;
  return change(button, c, "POST", "", body, "Allocated", "allocate");
}

const releaseCell = (c, button) => change(button, c, "DELETE", `/${encodeURIComponent(c.ip_address)}`, undefined, "Released", "release");

/** Allocates or releases one address, then reloads the page's usage, allocations and map, and keeps the focus on its cell. */
async function change(button, c, method, path, body, done, verb) {
  const subnet = routedSubnet();
  if (!subnet) return;
  await busy(button, async () => {
    try {
      await api(method, `v1/subnets/${subnet.id}/allocations${path}`, body);
      if (!stillOn(subnet.id)) return;
      showOk(mapMsg, `${done} `, h("b", { class: "mono" }, c.ip_address), ".");
      await reloadCurrent();
    } catch (error) {
      if (stillOn(subnet.id)) showError(mapMsg, error, `Could not ${verb} ${c.ip_address}`);
    }
  });
  grid.querySelector(`[data-address="${c.ip_address}"]`)?.focus();
}

// ---- blocks

function fillOf(b) {
  const inPools = big(b.in_pools);
  const allocated = big(b.allocated);
  const base = inPools > 0n ? inPools : big(b.total);
  const permille = base === 0n ? 0 : Number((allocated * 1000n) / base);
  const level = inPools === 0n && allocated === 0n ? "none"
    : allocated === 0n ? "empty"
      : allocated >= base ? "full"
        : permille >= 900 ? "high" : permille >= 500 ? "mid" : "low";
  const percent = base === 0n ? "0%" : percentage(allocated, base).text;
  return { level, permille, percent };
}

function blockCell(b) {
  const { level, permille, percent } = fillOf(b);
  const label = `${b.cidr}: ${count(b.allocated)} allocated, ${count(b.free)} free of ${count(b.in_pools)} pool addresses` +
    (level === "none" ? " (no pools)" : ` (${percent} full)`) + ". Zoom in";
  const bar = h("span", { class: "bar" });
  bar.style.height = `${level === "none" ? 0 : Math.max(permille / 10, big(b.allocated) > 0n ? 25 : 0)}%`;
  return h("button", {
    type: "button", class: `cell f-${level}`, "aria-label": label, title: label, tabindex: "-1",
    onclick: () => zoomTo([...state.map.trail, b.cidr]),
  }, bar);
}

function blocksSummary(result) {
  let allocated = 0n;
  let inPools = 0n;
  for (const b of result.blocks) {
    allocated += big(b.allocated);
    inPools += big(b.in_pools);
  }
  return `${result.within}: ${result.blocks.length} blocks of /${result.block_prefixlen}, ${count(allocated)} allocated, ` +
    `${count(inPools)} in the pools. Choose a block to zoom in.`;
}

// ---- keyboard: one tab stop, arrows move within the grid

function roving(target) {
  if (!target) return;
  for (const cell of grid.querySelectorAll("[tabindex='0']")) cell.tabIndex = -1;
  target.tabIndex = 0;
}

grid.addEventListener("keydown", (event) => {
  const cells = [...grid.children];
  const at = cells.indexOf(document.activeElement);
  if (at < 0) return;
  const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -COLUMNS, ArrowDown: COLUMNS, Home: -at, End: cells.length - 1 - at };
  if (!(event.key in moves)) return;
  event.preventDefault();
  const next = cells[Math.min(cells.length - 1, Math.max(0, at + moves[event.key]))];
  roving(next);
  next.focus();
});

grid.addEventListener("focusin", (event) => {
  if (event.target.parentElement === grid) roving(event.target);
});
