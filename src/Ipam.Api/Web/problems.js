// RFC 9457 problem details as readable messages, in a message area or on the form fields they name.
import { ApiError } from "./api.js";
import { count, isInteger } from "./json.js";
import { h, reveal } from "./dom.js";

const LABELS = {
  requested: "requested", free: "free", pool_size: "pool size", allocated: "allocated", reason: "reason",
  ip_address: "address", cidr: "CIDR", owner: "owner", subnet_id: "subnet", subnet_pool_id: "subnet pool",
  address_scope_id: "address scope", prefixlen: "prefix length", conflicts_with: "conflicts with", quota: "quota",
  used: "used", references: "still referenced by", ipv6_address_mode: "IPv6 address mode",
  idempotency_key: "idempotency key",
};
const STANDARD = new Set(["type", "title", "status", "detail", "code", "errors", "trace_id", "traceId", "instance"]);

function contextValue(key, value) {
  if (Array.isArray(value)) return value.map((v) => contextValue(key, v)).join(", ");
  if (value && typeof value === "object") {
    return Object.entries(value).map(([k, v]) => {
      const noun = k.replaceAll("_", " ");
      return `${contextValue(k, v)} ${String(v) === "1" && noun.endsWith("s") ? noun.slice(0, -1) : noun}`;
    }).join(", ");
  }
  if (value === null) return "none";
  return isInteger(value) && !key.endsWith("_id") ? count(value) : String(value);
}

/** The field errors of a problem as [field, message] pairs. */
const errorsOf = (problem) => Object.entries(problem?.errors || {}).flatMap(([field, messages]) =>
  (Array.isArray(messages) ? messages : [messages]).map((message) => [field, String(message)]));

/** A readable message from an API error: the title and code, the detail, field errors and context numbers. */
export function problemMessage(error, action) {
  const problem = error.problem;
  if (!problem) {
    const what = error.status ? `HTTP ${error.status}` : "No answer";
    return h("div", { class: "msg error", role: "alert" },
      h("p", { class: "msg-title" }, h("strong", {}, `${action}: ${what}`)),
      error.text ? h("p", {}, error.text) : null);
  }
  const title = (problem.title || action).replace(/\.$/, "");
  const errors = errorsOf(problem);
  const fieldErrors = errors.map(([field, message]) => h("li", {}, h("strong", {}, field), `: ${message}`));
  // A single field error usually repeats the detail; then the field-named line alone says it.
  const repeated = errors.length === 1 && errors[0][1] === problem.detail;
  const context = Object.entries(problem)
    .filter(([key]) => !STANDARD.has(key))
    .map(([key, value]) => h("li", {}, h("span", { class: "k" }, LABELS[key] || key.replaceAll("_", " ")), " ",
      h("b", {}, contextValue(key, value))));
  return h("div", { class: "msg error", role: "alert" },
    h("p", { class: "msg-title" }, h("strong", {}, `${action}: ${title}`), " ",
      problem.code ? h("code", {}, problem.code) : null),
    problem.detail && problem.detail !== problem.title && !repeated ? h("p", {}, problem.detail) : null,
    fieldErrors.length ? h("ul", { class: "field-errors" }, fieldErrors) : null,
    context.length ? h("ul", { class: "context", "aria-label": "Details" }, context) : null,
    problem.trace_id ? h("p", { class: "trace" }, `Trace id ${problem.trace_id}`) : null);
}

const asApiError = (error) => {
  if (error instanceof ApiError) return error;
  console.error(error);
  return new ApiError(0, null, String(error?.message || error));
};

export function showError(area, error, action) {
  area.replaceChildren(problemMessage(asApiError(error), action));
  reveal(area);
}

/** Removes the messages that showFieldErrors put on the fields. */
export function clearFieldErrors(fields) {
  for (const input of Object.values(fields)) {
    input.removeAttribute("aria-invalid");
    document.getElementById(`${input.id}-error`)?.remove();
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== `${input.id}-error`);
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    else input.removeAttribute("aria-describedby");
  }
}

/** Puts `message` under one field, marks it invalid and ties the message to it for screen readers. */
export function fieldError(input, message) {
  const id = `${input.id}-error`;
  let note = document.getElementById(id);
  if (!note) {
    note = h("p", { id, class: "field-error" });
    (input.closest(".field, fieldset") || input.parentElement).append(note);
  }
  note.textContent = note.textContent ? `${note.textContent} ${message}` : message;
  input.setAttribute("aria-invalid", "true");
  const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  if (!described.includes(id)) input.setAttribute("aria-describedby", [...described, id].join(" "));
}

/**
 * Shows a failed form submission: each entry of the problem's `errors` on the field it names (`fields` maps wire
 * names such as gateway_ip to inputs; `allocation_pools[0].start` belongs to allocation_pools), a problem without
 * `errors` on the field its code points at (`byCode`), and the whole problem in `area`. Focuses the first field
 * that got a message.
 */
export function showFieldErrors(fields, error, area, action, byCode = {}) {
  error = asApiError(error);
  clearFieldErrors(fields);
  const problem = error.problem;
  let errors = errorsOf(problem).map(([key, message]) => [key.split(/[.[]/)[0].toLowerCase(), message]);
  if (errors.length === 0 && problem?.code in byCode) errors = [[byCode[problem.code], problem.detail || problem.title]];
  const marked = errors.filter(([key]) => fields[key]).map(([key, message]) => {
    fieldError(fields[key], message);
    return fields[key];
  });
  area.replaceChildren(problemMessage(error, action));
  if (marked.length) marked[0].focus();
  else reveal(area);
}
