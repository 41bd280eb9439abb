// Small DOM helpers shared by the views.

export const $ = (selector) => document.querySelector(selector);

/** The elements with these ids, in order: `const [form, submit] = byIds("pool-form", "pool-submit")`. */
export const byIds = (...ids) => ids.map((id) => document.getElementById(id));

export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export const cell = (label, ...content) => h("td", { "data-label": label }, ...content);
/** A cell of free text (a name, an owner, a description): it wraps anywhere rather than widen its table. */
export const textCell = (label, ...content) => h("td", { "data-label": label, class: "text" }, ...content);
export const muted = (text) => h("span", { class: "muted" }, text);
export const time = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+/, "").replace("+00:00", "Z") : "—");
/** A time in a table cell, on one line. */
export const timeText = (iso) => h("span", { class: "nowrap" }, time(iso));

/** Brings a new message into view when it appeared below the fold (narrow screens). */
export const reveal = (area) => area.scrollIntoView({ block: "nearest" });

export function showOk(area, ...content) {
  area.replaceChildren(h("div", { class: "msg ok", role: "status" }, ...content));
  reveal(area);
}

export const clear = (...areas) => areas.forEach((area) => area.replaceChildren());

/** Disables the button while the action runs, so a double click is one request. */
export async function busy(button, action) {
  if (button) button.disabled = true;
  try {
    await action();
  } finally {
    if (button) button.disabled = false;
  }
}

/**
 * An optional integer from a form field, exact at any size: undefined when empty, a BigInt when it is a whole number
 * (sent with stringifyExact), else a Number, for the server to refuse with its reason.
 */
export function integerOrUndefined(input) {
  const text = input.value.trim();
  if (text === "") return undefined;
  return /^-?\d+$/.test(text) ? BigInt(text) : Number(text);
}
