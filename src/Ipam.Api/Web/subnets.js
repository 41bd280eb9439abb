// The subnets list with its filter, and the form that creates a subnet.
import { api } from "./api.js";
import { $, busy, cell, clear, h, integerOrUndefined, muted, showOk, textCell } from "./dom.js";
import { count } from "./json.js";
import { loadPools } from "./pools.js";
import { clearFieldErrors, fieldError, showError, showFieldErrors } from "./problems.js";
import { parsePools, poolsText } from "./ranges.js";
import { state } from "./state.js";
import { usage } from "./usage.js";
import { show } from "./views.js";

const filter = $("#filter");
const version = $("#version");
const subnetsMsg = $("#subnets-msg");

export async function openSubnets(focus) {
  show("subnets", "Subnets", focus);
  await Promise.all([loadSubnets(false), loadPools()]);
}

async function loadSubnets(more) {
  const params = new URLSearchParams({ limit: "500" });
  if (version.value) params.set("ip_version", version.value);
  if (more && state.subnetsNext) params.set("cursor", state.subnetsNext);
  try {
    const page = await api("GET", `v1/subnets?${params}`);
    state.subnets = more ? state.subnets.concat(page.items) : page.items;
    state.subnetsNext = page.next;
    if (subnetsMsg.querySelector(".error")) clear(subnetsMsg);
    renderSubnets();
  } catch (error) {
    showError(subnetsMsg, error, "Could not load the subnets");
  }
}

function renderSubnets() {
  const query = filter.value.trim().toLowerCase();
  const rows = state.subnets.filter((s) => !query ||
    [s.cidr, s.name, s.gateway_ip, s.id, poolsText(s.allocation_pools)].some((v) => v && v.toLowerCase().includes(query)));
  $("#subnets-table tbody").replaceChildren(...rows.map((s) => h("tr", {},
    cell("CIDR", h("a", { href: `#/subnets/${s.id}`, class: "mono" }, s.cidr)),
    textCell("Name", s.name || muted("—")),
    cell("Gateway", s.gateway_ip ? h("span", { class: "mono nowrap" }, s.gateway_ip) : muted("none")),
    cell("Allocation pools", s.allocation_pools.length ? h("span", { class: "mono" }, poolsText(s.allocation_pools)) : muted("none")),
    cell("Usage", usage(s.usage, false)),
    cell("Outside pools", count(s.usage.outside_pools)))));
  const empty = $("#subnets-empty");
  empty.hidden = rows.length > 0;
  empty.textContent = state.subnets.length === 0 ? "No subnets yet: create one below."
    : `No subnet matches “${filter.value.trim()}”.`;
  $("#subnets-count").textContent = state.subnets.length === 0 ? ""
    : `${rows.length} of ${state.subnets.length} subnets shown${state.subnetsNext ? " (more on the server)" : ""}.`;
  $("#subnets-more").hidden = !state.subnetsNext;
}

filter.addEventListener("input", renderSubnets);
version.addEventListener("change", () => loadSubnets(false));
$("#refresh").addEventListener("click", (e) => busy(e.currentTarget, () => loadSubnets(false)));
$("#subnets-more").addEventListener("click", (e) => busy(e.currentTarget, () => loadSubnets(true)));

// ---- create a subnet

const createForm = $("#create-form");
const createMsg = $("#create-msg");
const createFields = {
  cidr: $("#c-cidr"), name: $("#c-name"), subnet_pool_id: $("#c-pool"), prefixlen: $("#c-prefixlen"),
  gateway_ip: $("#c-gateway"), allocation_pools: $("#c-pools"), ipv6_address_mode: $("#c-mode"),
};

/** A mistake found before sending: said on its field, as the server's are. */
const formError = (message, field) => {
  clear(createMsg);
  fieldError(field, message);
  field.focus();
};

createForm.addEventListener("submit", (event) => {
  event.preventDefault();
  clearFieldErrors(createFields);
  const f = createForm.elements;
  const body = {};
  const cidr = f.cidr.value.trim();
  if (cidr) body.cidr = cidr;
  if (f.subnet_pool_id.value) body.subnet_pool_id = f.subnet_pool_id.value;
  const prefixlen = integerOrUndefined(f.prefixlen);
  if (prefixlen !== undefined) body.prefixlen = prefixlen;
  if (f.name.value.trim()) body.name = f.name.value.trim();
  if (f.ipv6_address_mode.value) body.ipv6_address_mode = f.ipv6_address_mode.value;
  if (f.gateway.value === "none") body.gateway_ip = null;
  if (f.gateway.value === "address") {
    if (!f.gateway_ip.value.trim()) {
      formError("Enter the gateway address, or choose Default or None.", f.gateway_ip);
      return;
    }
    body.gateway_ip = f.gateway_ip.value.trim();
  }
  try {
    if (f.pools.value.trim()) body.allocation_pools = parsePools(f.pools.value);
  } catch (error) {
    formError(error.message, f.pools);
    return;
  }
  busy(event.submitter, async () => {
    try {
      const subnet = await api("POST", "v1/subnets", body);
      createForm.reset();
      showOk(createMsg, "Created subnet ", h("a", { href: `#/subnets/${subnet.id}` }, subnet.cidr),
        subnet.name ? ` (${subnet.name})` : "", ".");
      await loadSubnets(false);
    } catch (error) {
      showFieldErrors(createFields, error, createMsg, "Could not create the subnet", {
        "prefix-overlap": "cidr", "subnet-pool-not-found": "subnet_pool_id", "prefix-unavailable": body.cidr ? "cidr" : "prefixlen",
        "quota-exceeded": "subnet_pool_id", "invalid-gateway": "gateway_ip", "address-in-use": "gateway_ip",
        "invalid-allocation-pools": "allocation_pools", "address-mode-conflict": "ipv6_address_mode",
      });
    }
  });
});

$("#c-gateway").addEventListener("input", () => {
  createForm.elements.gateway.value = "address";
});
