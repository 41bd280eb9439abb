// Creating and editing subnet pools, and creating address scopes, with the server's verdict on each field.
import { api } from "./api.js";
import { $, busy, byIds, clear, h, integerOrUndefined, showOk } from "./dom.js";
import { exactText } from "./json.js";
import { clearFieldErrors, showFieldErrors } from "./problems.js";
import { renderPools } from "./pools.js";
import { state } from "./state.js";

const [form, formTitle, submit, cancel, poolMsg] = byIds("pool-form", "pool-form-title", "pool-submit", "pool-cancel", "pool-msg");
const fields = {
  name: $("#p-name"), prefixes: $("#p-prefixes"), address_scope_id: $("#p-scope"), default_prefixlen: $("#p-default"),
  min_prefixlen: $("#p-min"), max_prefixlen: $("#p-max"), default_quota: $("#p-quota"),
};
const LENGTHS = ["default_prefixlen", "min_prefixlen", "max_prefixlen"];
let editing = null;

/** Offers the scopes in the pool form, keeping the one chosen. */
export function fillScopeChoices() {
  const select = fields.address_scope_id;
  const chosen = select.value;
  select.replaceChildren(h("option", { value: "" }, "None"),
    ...state.scopes.map((s) => h("option", { value: s.id }, `${s.name} (IPv${s.ip_version})`)));
  select.value = state.scopes.some((s) => s.id === chosen) ? chosen : "";
}

const prefixesOf = (text) => text.split(/[\s,]+/).map((p) => p.trim()).filter(Boolean);

function startCreating() {
  editing = null;
  form.reset();
  formTitle.textContent = "Create a subnet pool";
  submit.textContent = "Create subnet pool";
  cancel.hidden = true;
  clearFieldErrors(fields);
}

/** Fills the form with the pool, to change it. */
export function editPool(pool) {
  editing = pool;
  clearFieldErrors(fields);
  clear(poolMsg);
  fields.name.value = pool.name;
  fields.prefixes.value = pool.prefixes.join("\n");
  fields.address_scope_id.value = pool.address_scope_id || "";
  fields.default_prefixlen.value = pool.default_prefixlen;
  fields.min_prefixlen.value = pool.min_prefixlen;
  fields.max_prefixlen.value = pool.max_prefixlen;
  fields.default_quota.value = pool.default_quota ?? "";
  formTitle.textContent = `Edit subnet pool ${pool.name}`;
  submit.textContent = "Save subnet pool";
  cancel.hidden = false;
  form.scrollIntoView({ block: "start" });
  fields.name.focus({ preventScroll: true });
}

/** A new pool: what the form holds; prefix lengths and quota left empty are the server's to derive. */
function created() {
  const body = { name: fields.name.value.trim(), prefixes: prefixesOf(fields.prefixes.value) };
  if (fields.address_scope_id.value) body.address_scope_id = fields.address_scope_id.value;
  for (const key of [...LENGTHS, "default_quota"]) {
    const value = integerOrUndefined(fields[key]);
    if (value !== undefined) body[key] = value;
  }
  return body;
}

/** A change to `pool`: only the fields that differ, so that an untouched field is never validated again. */
function changed(pool) {
  const body = {};
  if (fields.name.value.trim() !== pool.name) body.name = fields.name.value.trim();
  const prefixes = prefixesOf(fields.prefixes.value);
  if (prefixes.join(",") !== pool.prefixes.join(",")) body.prefixes = prefixes;
  if (fields.address_scope_id.value !== (pool.address_scope_id || "")) body.address_scope_id = fields.address_scope_id.value || null;
  for (const key of LENGTHS) {
    const value = integerOrUndefined(fields[key]);
    if (value !== undefined && exactText(value) !== exactText(pool[key])) body[key] = value;
  }
  // Compared and sent as exact integers: a quota above 2^53 is neither rounded nor seen as changed.
  const quota = integerOrUndefined(fields.default_quota) ?? null;
  if (exactText(quota) !== exactText(pool.default_quota)) body.default_quota = quota;
  return body;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const pool = editing;
  const body = pool ? changed(pool) : created();
  if (pool && Object.keys(body).length === 0) {
    showOk(poolMsg, "Nothing changed.");
    return;
  }
  busy(submit, async () => {
    try {
      const saved = pool ? await api("PATCH", `v1/subnet-pools/${pool.id}`, body) : await api("POST", "v1/subnet-pools", body);
      startCreating();
      showOk(poolMsg, pool ? "Saved subnet pool " : "Created subnet pool ", h("b", {}, saved.name), ".");
      await renderPools();
    } catch (error) {
      showFieldErrors(fields, error, poolMsg, pool ? "Could not save the subnet pool" : "Could not create the subnet pool", {
        "prefix-overlap": "prefixes", "in-use": "prefixes", "address-scope-not-found": "address_scope_id",
      });
    }
  });
});

cancel.addEventListener("click", () => {
  startCreating();
  clear(poolMsg);
  fields.name.focus();
});
form.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && editing) cancel.click();
});

// ---- address scopes (the API creates and deletes them; nothing about a scope changes)

const scopeForm = $("#scope-form");
const scopeMsg = $("#scope-msg");
const scopeFields = { name: $("#s-name"), ip_version: $("#s-v4") };

scopeForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const body = { name: scopeFields.name.value.trim(), ip_version: Number(scopeForm.elements.ip_version.value) };
  busy(event.submitter, async () => {
    try {
      const scope = await api("POST", "v1/address-scopes", body);
      scopeForm.reset();
      clearFieldErrors(scopeFields);
      showOk(scopeMsg, "Created address scope ", h("b", {}, scope.name), ".");
      await renderPools();
    } catch (error) {
      showFieldErrors(scopeFields, error, scopeMsg, "Could not create the address scope");
    }
  });
});
