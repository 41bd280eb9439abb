// One subnet: its usage and facts, and deleting it. Allocating and editing live in their own modules.
import { api } from "./api.js";
import { loadAllocations } from "./allocations.js";
import { $, busy, clear, h, showOk, time } from "./dom.js";
import { big, count } from "./json.js";
import { showError } from "./problems.js";
import { poolsText } from "./ranges.js";
import { newAllocationPage, routedSubnet, state, stillOn } from "./state.js";
import { loadMap, resetMap } from "./map.js";
import { closeEditor } from "./subnet-edit.js";
import { followSubnet } from "./subnet-live.js";
import { usage } from "./usage.js";
import { onLeave, show } from "./views.js";

const detailMsg = $("#detail-msg");

export async function openSubnet(id, focus) {
  show("subnet", "Subnet", focus);
  state.route = id;
  if (state.current?.id !== id) {
    state.current = null;
    state.page = newAllocationPage(Number($("#l-size").value));
    $("#l-owner").value = "";
    $("#detail-body").hidden = true;
    $("#detail-title").textContent = "Subnet";
    clear(detailMsg, $("#alloc-msg"), $("#list-msg"));
    closeEditor();
    resetMap();
  }
  // Following starts before the loads, so nothing committed in between is missed.
  await followSubnet(id, reloadCurrent);
  if (!stillOn(id)) return;
  if (await loadSubnet(id)) await Promise.all([loadAllocations(), loadMap()]);
}

onLeave("subnet", () => {
  state.route = null;
});

/** Loads the subnet on show again, its allocations and its address map, after a change. */
export const reloadCurrent = () => {
  const subnet = routedSubnet();
  return subnet && Promise.all([loadSubnet(subnet.id), loadAllocations(), loadMap()]);
};

let subnetLoad = null;

/** Loads and shows subnet `id`; false when that failed, or when the page moved on or a newer load took over. */
export async function loadSubnet(id) {
  const request = api("GET", `v1/subnets/${encodeURIComponent(id)}`);
  subnetLoad = request;
  const wanted = () => subnetLoad === request && stillOn(id);
  try {
    const subnet = await request;
    if (!wanted()) return false;
    state.current = subnet;
    renderSubnet(subnet);
    return true;
  } catch (error) {
    if (!wanted()) return false;
    state.current = null;
    $("#detail-body").hidden = true;
    showError(detailMsg, error, "Could not load the subnet");
    return false;
  }
}

function renderSubnet(s) {
  const title = s.name ? `${s.cidr} · ${s.name}` : s.cidr;
  $("#detail-title").textContent = title;
  document.title = `${title} · Ipam`;
  $("#detail-usage").replaceChildren(usage(s.usage, true));
  const pool = state.pools.find((p) => p.id === s.subnet_pool_id);
  const facts = [
    ["ID", h("span", { class: "mono" }, s.id)],
    ["IP version", `IPv${s.ip_version}`],
    ["Gateway", s.gateway_ip || "none"],
    ["Allocation pools", poolsText(s.allocation_pools) || "none"],
    ["Outside pools", `${count(s.usage.outside_pools)} allocated outside the pools`],
    ["Subnet pool", s.subnet_pool_id ? (pool ? pool.name : s.subnet_pool_id) : "none"],
    ["IPv6 address mode", s.ipv6_address_mode || "none"],
    ["Tenant", s.tenant_id || "none"],
    ["Created", time(s.created_at)],
  ];
  $("#detail-facts").replaceChildren(...facts.map(([k, v]) => h("div", { "data-fact": k }, h("dt", {}, k), h("dd", {}, v))));
  $("#detail-body").hidden = false;
  if (detailMsg.querySelector(".error")) clear(detailMsg);
}

// ---- delete

const dialog = $("#delete-dialog");
const deleteMsg = $("#delete-msg");

$("#delete-open").addEventListener("click", () => {
  const s = routedSubnet();
  if (!s) return;
  const allocations = big(s.usage.allocated) + big(s.usage.outside_pools);
  $("#delete-text").textContent = `Delete subnet ${s.cidr}${s.name ? ` (${s.name})` : ""}? ` +
    (allocations === 0n ? "It has no allocations."
      : `It has ${count(allocations)} allocation${allocations === 1n ? "" : "s"}; they are released only with force.`);
  $("#delete-force").checked = false;
  clear(deleteMsg);
  dialog.showModal();
});

$("#delete-cancel").addEventListener("click", () => dialog.close());

$("#delete-confirm").addEventListener("click", (event) => busy(event.currentTarget, async () => {
  const s = routedSubnet();
  if (!s) {
    dialog.close();
    return;
  }
  const force = $("#delete-force").checked;
  try {
    await api("DELETE", `v1/subnets/${s.id}${force ? "?force=true" : ""}`);
    dialog.close();
    state.current = null;
    showOk($("#subnets-msg"), `Deleted subnet ${s.cidr}${s.name ? ` (${s.name})` : ""}.`);
    location.hash = "#/";
  } catch (error) {
    showError(deleteMsg, error, "Could not delete the subnet");
    if (error.problem?.code === "in-use") {
      deleteMsg.firstChild.append(h("p", {}, "Tick “Also release all of its allocations (force)” to delete it anyway."));
      $("#delete-force").focus();
    }
  }
}));
