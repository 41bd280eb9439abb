// Subnet pools with their free prefixes, and address scopes.
import { api, listAll } from "./api.js";
import { $, cell, clear, h, muted, textCell } from "./dom.js";
import { count } from "./json.js";
import { editPool, fillScopeChoices } from "./pool-form.js";
import { poolMap } from "./pool-map.js";
import { problemMessage, showError } from "./problems.js";
import { state } from "./state.js";
import { show } from "./views.js";

const poolsMsg = $("#pools-msg");

/** Loads the pools and scopes, and offers the pools in the create-subnet form; false when that failed. */
export async function loadPools() {
  try {
    [state.pools, state.scopes] = await Promise.all([listAll("v1/subnet-pools"), listAll("v1/address-scopes")]);
  } catch (error) {
    showError(poolsMsg, error, "Could not load the subnet pools");
    return false;
  }
  const select = $("#c-pool");
  const chosen = select.value;
  select.replaceChildren(h("option", { value: "" }, "None (use the CIDR)"),
    ...state.pools.map((p) => h("option", { value: p.id }, `${p.name} (${p.prefixes.join(", ")})`)));
  select.value = state.pools.some((p) => p.id === chosen) ? chosen : "";
  fillScopeChoices();
  return true;
}

export async function openPools(focus) {
  show("pools", "Subnet pools", focus);
  await renderPools();
}

/** Requests for the pools' free prefixes sent at once: a page of many pools neither floods the server nor waits for the slowest. */
const prefixRequestsAtOnce = 4;

/** Loads and shows the pools and the scopes at once, then each pool's free prefixes as they arrive. */
export async function renderPools() {
  if (!(await loadPools())) return;
  const scopeName = (id) => state.scopes.find((s) => s.id === id)?.name || id;
  const rows = state.pools.map((p) => {
    const use = cell("Use", muted("loading…"));
    const available = cell("Available prefixes", muted("loading…"));
    const row = h("tr", {},
      textCell("Name", p.name),
      cell("IP version", `IPv${p.ip_version}`),
      cell("Prefixes", h("span", { class: "mono" }, p.prefixes.join(", "))),
      cell("Prefix lengths", `min /${p.min_prefixlen} · default /${p.default_prefixlen} · max /${p.max_prefixlen}`),
      cell("Quota", p.default_quota === null ? muted("none") : count(p.default_quota)),
      textCell("Address scope", p.address_scope_id ? scopeName(p.address_scope_id) : muted("none")),
      use,
      available,
      cell("Actions", h("button", {
        type: "button", class: "small", "aria-label": `Edit subnet pool ${p.name}`, onclick: () => editPool(p),
      }, "Edit")));
    return { pool: p, row, use, available };
  });
  $("#pools-table tbody").replaceChildren(...rows.map((r) => r.row));
  $("#pools-empty").hidden = state.pools.length > 0;
  $("#scopes-table tbody").replaceChildren(...state.scopes.map((s) => h("tr", {},
    textCell("Name", s.name), cell("IP version", `IPv${s.ip_version}`), cell("ID", h("span", { class: "mono nowrap" }, s.id)),
    cell("Shared", s.shared ? "yes" : "no"))));
  $("#scopes-empty").hidden = state.scopes.length > 0;
  if (poolsMsg.querySelector(".error")) clear(poolsMsg);
  await inTurns(rows, prefixRequestsAtOnce, async ({ pool, use, available }) => {
    const free = await freePrefixes(pool).catch((error) => error);
    use.replaceChildren(free instanceof Error ? muted("unknown")
      : free.more ? muted(`unknown: over ${count(free.prefixes.length)} free prefixes`)
      : poolMap(pool, free.prefixes));
    available.replaceChildren(availableList(free));
  });
}

/** Pages of free prefixes a pool row reads at most; a pool fragmented further is shown as "more". */
const maxFreePrefixPages = 10;

/** The pool's free prefixes, following `next` up to maxFreePrefixPages; more is true when some were left unread. */
async function freePrefixes(pool) {
  const prefixes = [];
  let cursor = null;
  for (let pages = 0; pages < maxFreePrefixPages; pages++) {
    const page = await api("GET", `v1/subnet-pools/${pool.id}/available-prefixes?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    prefixes.push(...page.prefixes);
    cursor = page.next;
    if (!cursor) return { prefixes, more: false };
  }
  return { prefixes, more: true };
}

/** Runs work on every item, at most atOnce of them at a time, in the items' order. */
async function inTurns(items, atOnce, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, worker));
}

function availableList(free) {
  if (free instanceof Error) return problemMessage(free, "Could not load");
  const { prefixes, more } = free;
  if (prefixes.length === 0) return muted("none (full)");
  const list = h("ul", { class: "prefixes mono" }, prefixes.map((p) => h("li", {}, p)));
  return prefixes.length <= 8 && !more ? list
    : h("details", {}, h("summary", {}, more ? `the first ${prefixes.length} prefixes (more not shown)` : `${prefixes.length} prefixes`), list);
}
