// Editing a subnet in place: its name, gateway and allocation pools, with the server's verdict on each field.
import { api } from "./api.js";
import { $, busy, clear, showOk } from "./dom.js";
import { clearFieldErrors, fieldError, showFieldErrors } from "./problems.js";
import { parsePools, poolsText } from "./ranges.js";
import { routedSubnet, stillOn } from "./state.js";
import { loadSubnet } from "./subnet.js";

const form = $("#edit-form");
const opener = $("#edit-open");
const editMsg = $("#edit-msg");
const fields = { name: $("#e-name"), gateway_ip: $("#e-gateway"), allocation_pools: $("#e-pools") };

export function closeEditor() {
  form.hidden = true;
  opener.setAttribute("aria-expanded", "false");
  clearFieldErrors(fields);
  clear(editMsg);
}

opener.addEventListener("click", () => {
  const s = routedSubnet();
  if (!s) return;
  if (!form.hidden) {
    closeEditor();
    return;
  }
  fields.name.value = s.name || "";
  fields.gateway_ip.value = s.gateway_ip || "";
  fields.allocation_pools.value = poolsText(s.allocation_pools, "\n");
  clearFieldErrors(fields);
  clear(editMsg);
  form.hidden = false;
  opener.setAttribute("aria-expanded", "true");
  fields.name.focus();
});

const cancel = () => {
  closeEditor();
  opener.focus();
};
$("#edit-cancel").addEventListener("click", cancel);
form.addEventListener("keydown", (event) => {
  if (event.key === "Escape") cancel();
});

/** The changed fields only, so that an untouched field is never validated again. */
function changes(s) {
  const body = {};
  const name = fields.name.value.trim();
  if (name !== (s.name || "")) body.name = name || null;
  const gateway = fields.gateway_ip.value.trim();
  if (gateway !== (s.gateway_ip || "")) body.gateway_ip = gateway || null;
  const pools = parsePools(fields.allocation_pools.value);
  if (poolsText(pools) !== poolsText(s.allocation_pools)) body.allocation_pools = pools;
  return body;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const s = routedSubnet();
  if (!s) return;
  clearFieldErrors(fields);
  let body;
  try {
    body = changes(s);
  } catch (error) {
    clear(editMsg);
    fieldError(fields.allocation_pools, error.message);
    fields.allocation_pools.focus();
    return;
  }
  if (Object.keys(body).length === 0) {
    showOk(editMsg, "Nothing changed.");
    return;
  }
  busy(event.submitter, async () => {
    try {
      await api("PATCH", `v1/subnets/${s.id}`, body);
      if (!stillOn(s.id)) return;
      closeEditor();
      await loadSubnet(s.id);
      showOk($("#detail-msg"), "Saved the changes to ", s.cidr, ".");
      opener.focus();
    } catch (error) {
      if (!stillOn(s.id)) return;
      showFieldErrors(fields, error, editMsg, "Could not save the subnet", {
        "invalid-gateway": "gateway_ip", "address-in-use": "gateway_ip", "invalid-allocation-pools": "allocation_pools",
      });
    }
  });
});
