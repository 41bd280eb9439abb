// An address's history, in a row under its allocation.
import { api } from "./api.js";
import { cell, h, muted, textCell, timeText } from "./dom.js";
import { problemMessage } from "./problems.js";
import { routedSubnet } from "./state.js";

export function historyButton(allocation) {
  return h("button", {
    type: "button", class: "small", "aria-expanded": "false", "aria-label": `History of ${allocation.ip_address}`,
    onclick: (e) => toggleHistory(allocation, e.currentTarget),
  }, "History");
}

async function toggleHistory(allocation, button) {
  const subnet = routedSubnet();
  if (!subnet) return;
  const row = button.closest("tr");
  if (row.nextElementSibling?.classList.contains("history-row")) {
    row.nextElementSibling.remove();
    button.setAttribute("aria-expanded", "false");
    return;
  }
  const area = h("td", { colspan: String(row.children.length), "aria-live": "polite" }, muted("Loading…"));
  row.after(h("tr", { class: "history-row" }, area));
  button.setAttribute("aria-expanded", "true");
  try {
    const path = `v1/subnets/${subnet.id}/allocations/${encodeURIComponent(allocation.ip_address)}/history?limit=100`;
    const result = await api("GET", path);
    const more = result.next ? [h("p", { class: "muted" }, "Only the 100 most recent are shown.")] : [];
    area.replaceChildren(historyTable(allocation.ip_address, result.items), ...more);
  } catch (error) {
    area.replaceChildren(problemMessage(error, `Could not load the history of ${allocation.ip_address}`));
  }
}

export function historyTable(address, periods) {
  return h("table", { class: "history", "aria-label": `History of ${address}` },
    h("thead", {}, h("tr", {}, ["Owner", "Description", "Allocated", "By", "Released", "Released by", "Reason"]
      .map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", {}, periods.map((p) => h("tr", {},
      textCell("Owner", p.owner || muted("—")),
      textCell("Description", p.description || muted("—")),
      cell("Allocated", timeText(p.allocated_at)),
      textCell("By", p.allocated_by || muted("—")),
      cell("Released", p.released_at ? timeText(p.released_at) : muted("current")),
      textCell("Released by", p.released_by || muted("—")),
      textCell("Reason", p.release_reason || muted("—"))))));
}
