// Editing an allocation in its row of the list: its description and when it is released automatically (a time, or
// never), with the server's verdict on each field. The owner stays: history tells holders apart by it.
import { api } from "./api.js";
import { busy, h, showOk } from "./dom.js";
import { clearFieldErrors, showFieldErrors } from "./problems.js";
import { routedSubnet, stillOn } from "./state.js";
import { reloadCurrent } from "./subnet.js";

const pad = (n) => String(n).padStart(2, "0");

/** An ISO time as a datetime-local input shows it: the browser's local time, to the minute. */
function localInput(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The "Edit" button of an allocation's row: opens (or closes) the editor in a row of its own under it. */
export function editButton(allocation, listMsg) {
  return h("button", {
    type: "button", class: "small", "aria-label": `Edit ${allocation.ip_address}`, "aria-expanded": "false",
    onclick: (e) => toggleEditor(allocation, e.currentTarget, listMsg),
  }, "Edit");
}

function toggleEditor(allocation, button, listMsg) {
  const row = button.closest("tr");
  const open = row.parentElement.querySelector("tr.edit-row");
  open?.close(false);
  if (open?.dataset.ip === allocation.ip_address) return;
  const key = allocation.ip_address.replace(/[^0-9a-zA-Z]/g, "-");
  const fields = {
    description: h("input", { id: `ae-description-${key}`, autocomplete: "off", value: allocation.description || "" }),
    expires_at: h("input", { id: `ae-expires-${key}`, type: "datetime-local", value: localInput(allocation.expires_at) }),
  };
  const message = h("div", { class: "msg-area", "aria-live": "polite" });
  const close = () => editor.close(true);
  const form = h("form", { class: "row", novalidate: true, "aria-label": `Edit ${allocation.ip_address}` },
    h("div", { class: "field grow" }, h("label", { for: fields.description.id }, "Description"), fields.description),
    h("div", { class: "field" },
      h("label", { for: fields.expires_at.id }, "Released automatically at (local time; empty: never)"), fields.expires_at),
    h("button", { type: "submit", class: "primary" }, "Save"),
    h("button", { type: "button", onclick: close }, "Cancel"),
    message);
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save(allocation, fields, message, event.submitter, listMsg, editor);
  });
  const editor = h("tr", { class: "edit-row", "data-ip": allocation.ip_address }, h("td", { colspan: row.children.length }, form));
  editor.opener = button;
  editor.close = (refocus) => {
    editor.remove();
    editor.opener.setAttribute("aria-expanded", "false");
    if (refocus) editor.opener.focus();
  };
  row.after(editor);
  button.setAttribute("aria-expanded", "true");
  fields.description.focus();
}

/** The Edit button of the allocation at `ip` in the list as it is drawn now. */
const editButtonOf = (ip) =>
  [...document.querySelectorAll("#allocations-table tbody button[aria-label]")].find((b) => b.getAttribute("aria-label") === `Edit ${ip}`);

/**
 * Takes the open editor (if any) out of `tbody` before the list is drawn again, and returns what puts it back, with
 * what was typed and the focus, under the new row of its allocation: the list is redrawn at every change the live
 * feed brings, which must not throw away an edit under way. The editor goes when its allocation has left the page.
 */
export function keepEditorAcross(tbody) {
  const editor = tbody.querySelector("tr.edit-row");
  if (!editor) return () => {};
  const focused = editor.contains(document.activeElement) ? document.activeElement : null;
  editor.remove();
  return () => {
    const opener = editButtonOf(editor.dataset.ip);
    if (!opener) return;
    editor.opener = opener;
    opener.closest("tr").after(editor);
    opener.setAttribute("aria-expanded", "true");
    focused?.focus();
  };
}

/** The changed fields only: an untouched time keeps its seconds, which the input does not show. */
function changes(allocation, fields) {
  const body = {};
  const description = fields.description.value.trim();
  if (description !== (allocation.description || "")) body.description = description || null;
  const expires = fields.expires_at.value;
  if (expires !== localInput(allocation.expires_at)) body.expires_at = expires ? new Date(expires).toISOString() : null;
  return body;
}

/** Sends the changes; once saved, the editor closes and the list shows the allocation as it is now. */
async function save(allocation, fields, message, button, listMsg, editor) {
  const subnet = routedSubnet();
  if (!subnet) return;
  clearFieldErrors(fields);
  const body = changes(allocation, fields);
  if (Object.keys(body).length === 0) {
    showOk(message, "Nothing changed.");
    return;
  }
  await busy(button, async () => {
    try {
      await api("PATCH", `v1/subnets/${subnet.id}/allocations/${encodeURIComponent(allocation.ip_address)}`, body);
      if (!stillOn(subnet.id)) return;
      if (editor.isConnected) editor.close(false);
      showOk(listMsg, "Saved the changes to ", h("b", { class: "mono" }, allocation.ip_address), ".");
      await reloadCurrent();
      // The list was drawn again: back to the allocation's new Edit button, where the keyboard left off.
      editButtonOf(allocation.ip_address)?.focus();
    } catch (error) {
      if (stillOn(subnet.id)) showFieldErrors(fields, error, message, `Could not save ${allocation.ip_address}`);
    }
  });
}
