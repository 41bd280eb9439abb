// A subnet's allocations: allocating (next, random, a count, one address, EUI-64), the paged list, keeping a
// reservation for good, editing one (allocation-edit.js), release and undo.
import { editButton, keepEditorAcross } from "./allocation-edit.js";
import { api } from "./api.js";
import { $, busy, cell, clear, h, muted, showOk, textCell, timeText } from "./dom.js";
import { historyButton } from "./history.js";
import { showError } from "./problems.js";
import { newAllocationPage, routedSubnet, state, stillOn } from "./state.js";
import { reloadCurrent } from "./subnet.js";

const allocMsg = $("#alloc-msg");
const listMsg = $("#list-msg");

async function allocate(body, button) {
  const subnet = routedSubnet();
  if (!subnet) return;
  const owner = $("#a-owner").value.trim();
  const description = $("#a-description").value.trim();
  if (owner) body.owner = owner;
  if (description) body.description = description;
  await busy(button, async () => {
    try {
      const result = await api("POST", `v1/subnets/${subnet.id}/allocations`, body);
      if (!stillOn(subnet.id)) return;
      const addresses = (result.items || [result]).map((a) => a.ip_address);
      const shown = addresses.slice(0, 50).join(", ") + (addresses.length > 50 ? `, and ${addresses.length - 50} more` : "");
      showOk(allocMsg, addresses.length === 1 ? "Allocated " : `Allocated ${addresses.length} addresses: `,
        h("b", { class: "mono" }, shown), ".");
      await reloadCurrent();
    } catch (error) {
      if (stillOn(subnet.id)) showError(allocMsg, error, "Allocation failed");
    }
  });
}

$("#alloc-pool").addEventListener("submit", (event) => {
  event.preventDefault();
  const strategy = event.submitter?.value || "next";
  const n = $("#a-count").value.trim();
  const body = { strategy };
  if (n !== "" && n !== "1") body.count = Number(n);
  allocate(body, event.submitter);
});

$("#alloc-address").addEventListener("submit", (event) => {
  event.preventDefault();
  const body = { ip_address: $("#a-ip").value.trim() };
  if ($("#a-allow-gateway").checked) body.allow_gateway = true;
  allocate(body, event.submitter);
});

$("#alloc-mac").addEventListener("submit", (event) => {
  event.preventDefault();
  allocate({ mac_address: $("#a-mac").value.trim() }, event.submitter);
});

// ---- the list, paged with the API's cursor

let listLoad = null;

/** Loads and shows the page of allocations asked for; a response the page no longer wants is dropped. */
export async function loadAllocations() {
  const subnet = routedSubnet();
  if (!subnet) return;
  const page = state.page;
  const params = new URLSearchParams({ limit: String(page.size) });
  if (page.owner) params.set("owner", page.owner);
  if (page.cursors[page.index]) params.set("cursor", page.cursors[page.index]);
  const request = api("GET", `v1/subnets/${subnet.id}/allocations?${params}`);
  listLoad = request;
  // A newer load, another page of the list or another subnet makes this response stale.
  const wanted = () => listLoad === request && state.page === page && stillOn(subnet.id);
  try {
    const result = await request;
    if (!wanted()) return;
    if (result.items.length === 0 && page.index > 0) {
      page.index--; // releases emptied this page
      await loadAllocations();
      return;
    }
    page.next = result.next;
    const tbody = $("#allocations-table tbody");
    const restoreEditor = keepEditorAcross(tbody);
    tbody.replaceChildren(...result.items.map((a) => h("tr", {},
      cell("Address", h("span", { class: "mono nowrap" }, a.ip_address)),
      textCell("Owner", a.owner || muted("—")),
      textCell("Description", a.description || muted("—")),
      cell("Created", timeText(a.created_at)),
      cell("Expires", a.expires_at ? timeText(a.expires_at) : muted("never")),
      cell("Actions", h("span", { class: "actions" }, ...(a.expires_at ? [h("button", {
        type: "button", class: "small", "aria-label": `Keep ${a.ip_address}`, title: "Keep it until it is released: no automatic release",
        onclick: (e) => keep(a, e.currentTarget),
      }, "Keep"), " "] : []), editButton(a, listMsg), " ", h("button", {
        type: "button", class: "small", "aria-label": `Release ${a.ip_address}`,
        onclick: (e) => release(a, e.currentTarget),
      }, "Release"), " ", historyButton(a))))));
    restoreEditor();
    $("#allocations-empty").hidden = result.items.length > 0;
    $("#allocations-empty").textContent = page.owner ? `No allocations owned by “${page.owner}”.` : "No allocations.";
    const first = page.index * page.size + 1;
    $("#page-info").textContent = result.items.length === 0 ? "" :
      `Page ${page.index + 1}: allocations ${first}–${first + result.items.length - 1}${page.next ? "" : " (last page)"}`;
    if (listMsg.querySelector(".error")) clear(listMsg);
  } catch (error) {
    if (!wanted()) return;
    showError(listMsg, error, "Could not load the allocations");
  }
  updatePager();
}

function updatePager() {
  const page = state.page;
  $("#page-first").disabled = $("#page-prev").disabled = page.index === 0;
  $("#page-next").disabled = !page.next;
}

/** Makes a reservation permanent: the allocation stays, without its automatic release. */
async function keep(allocation, button) {
  const subnet = routedSubnet();
  if (!subnet) return;
  await busy(button, async () => {
    try {
      await api("PATCH", `v1/subnets/${subnet.id}/allocations/${encodeURIComponent(allocation.ip_address)}`, { expires_at: null });
      if (!stillOn(subnet.id)) return;
      showOk(listMsg, "Kept ", h("b", { class: "mono" }, allocation.ip_address), ": it is no longer released automatically.");
      await reloadCurrent();
    } catch (error) {
      if (stillOn(subnet.id)) showError(listMsg, error, `Could not keep ${allocation.ip_address}`);
    }
  });
}

async function release(allocation, button) {
  const subnet = routedSubnet();
  if (!subnet) return;
  await busy(button, async () => {
    try {
      await api("DELETE", `v1/subnets/${subnet.id}/allocations/${encodeURIComponent(allocation.ip_address)}`);
      if (!stillOn(subnet.id)) return;
      const undo = h("button", { type: "button", class: "small", onclick: (e) => reallocate(allocation, subnet, e.currentTarget) }, "Undo");
      showOk(listMsg, "Released ", h("b", { class: "mono" }, allocation.ip_address), ". ", undo);
      await reloadCurrent();
    } catch (error) {
      if (stillOn(subnet.id)) showError(listMsg, error, `Could not release ${allocation.ip_address}`);
    }
  });
}

/** Takes back an address released from `subnet`, if the page still shows that subnet. */
async function reallocate(allocation, subnet, button) {
  if (!stillOn(subnet.id)) return;
  const body = { ip_address: allocation.ip_address };
  if (allocation.owner) body.owner = allocation.owner;
  if (allocation.description) body.description = allocation.description;
  if (allocation.expires_at) body.expires_at = allocation.expires_at;
  if (allocation.ip_address === subnet.gateway_ip) body.allow_gateway = true;
  await busy(button, async () => {
    try {
      await api("POST", `v1/subnets/${subnet.id}/allocations`, body);
      if (!stillOn(subnet.id)) return;
      showOk(listMsg, "Allocated ", h("b", { class: "mono" }, allocation.ip_address), " again.");
      await reloadCurrent();
    } catch (error) {
      if (stillOn(subnet.id)) showError(listMsg, error, `Could not allocate ${allocation.ip_address} again`);
    }
  });
}

// The pager's buttons are off while a page loads; loadAllocations turns on the ones that apply.
const turnPage = (change) => async () => {
  const page = state.page;
  for (const id of ["#page-first", "#page-prev", "#page-next"]) $(id).disabled = true;
  if (change === "first") page.index = 0;
  else if (change === "prev") page.index = Math.max(0, page.index - 1);
  else if (page.next) page.cursors[++page.index] = page.next;
  await loadAllocations();
};
$("#page-first").addEventListener("click", turnPage("first"));
$("#page-prev").addEventListener("click", turnPage("prev"));
$("#page-next").addEventListener("click", turnPage("next"));

$("#alloc-filter").addEventListener("submit", (event) => {
  event.preventDefault();
  state.page = newAllocationPage(Number($("#l-size").value), $("#l-owner").value.trim());
  busy(event.submitter, loadAllocations);
});
$("#l-size").addEventListener("change", () => $("#alloc-filter").requestSubmit());
