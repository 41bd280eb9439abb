// Ipam operator console: a small single-page client of the /v1 API. No dependencies, no build step.
// Address counts can exceed 2^53 (IPv6), so they are kept as strings and computed with BigInt, never Number.
"use strict";

(() => {
  const $ = (selector) => document.querySelector(selector);

  // ---------------------------------------------------------------- JSON with exact integers

  /** JSON.parse, except that integers of more than 15 digits become strings, so that nothing is rounded. */
  function parseExact(text) {
    let out = "";
    let copied = 0;
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        for (i++; i < text.length && text[i] !== '"'; i += text[i] === "\\" ? 2 : 1);
        i++;
      } else if (c === "-" || (c >= "0" && c <= "9")) {
        const start = i;
        if (c === "-") i++;
        while (i < text.length && text[i] >= "0" && text[i] <= "9") i++;
        const digits = i - start - (c === "-" ? 1 : 0);
        if (digits > 15 && !".eE".includes(text[i] ?? "")) {
          out += `${text.slice(copied, start)}"${text.slice(start, i)}"`;
          copied = i;
        }
        while (i < text.length && "0123456789.eE+-".includes(text[i])) i++;
      } else {
        i++;
      }
    }
    return JSON.parse(out + text.slice(copied));
  }

  const big = (value) => (value === null || value === undefined || value === "" ? 0n : BigInt(value));
  const count = (value) => big(value).toLocaleString("en-US");
  const isInteger = (value) => typeof value === "number" || (typeof value === "string" && /^-?\d+$/.test(value));

  // ---------------------------------------------------------------- HTTP

  class ApiError extends Error {
    constructor(status, problem, text) {
      super(problem?.detail || text || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
      this.text = text;
    }
  }

  // A server that requires tokens answers 401: the page then asks for one and keeps it for this tab only.
  const TOKEN_KEY = "ipam.token";

  async function api(method, path, body, askForToken = true) {
    const init = { method, headers: { Accept: "application/json, application/problem+json" } };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) init.headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      throw new ApiError(0, null, `The server could not be reached (${error.message}).`);
    }
    if (response.status === 401 && askForToken) {
      sessionStorage.removeItem(TOKEN_KEY);
      const entered = window.prompt(token
        ? "The API token was refused (unknown, expired or revoked). Enter another:"
        : "This server requires an API token ('ipam token create'). Token:");
      if (entered && entered.trim()) {
        sessionStorage.setItem(TOKEN_KEY, entered.trim());
        return api(method, path, body, false);
      }
    }
    const text = response.status === 204 ? "" : await response.text();
    let data = null;
    try {
      data = text ? parseExact(text) : null;
    } catch {
      data = null;
    }
    if (!response.ok) {
      const problem = data && typeof data === "object" && !Array.isArray(data) ? data : null;
      throw new ApiError(response.status, problem, problem ? "" : text.slice(0, 300));
    }
    return data;
  }

  /** Every item of a collection, following the `next` cursors. */
  async function listAll(path) {
    const items = [];
    let cursor = null;
    for (let pages = 0; pages < 50; pages++) {
      const separator = path.includes("?") ? "&" : "?";
      const page = await api("GET", `${path}${separator}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      items.push(...page.items);
      cursor = page.next;
      if (!cursor) break;
    }
    return items;
  }

  // ---------------------------------------------------------------- DOM helpers

  function h(tag, attributes, ...children) {
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

  const cell = (label, ...content) => h("td", { "data-label": label }, ...content);
  const time = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+/, "").replace("+00:00", "Z") : "—");
  const poolsText = (subnet) =>
    subnet.allocation_pools.map((p) => (p.start === p.end ? p.start : `${p.start}-${p.end}`)).join(", ");

  function showOk(area, ...content) {
    area.replaceChildren(h("div", { class: "msg ok", role: "status" }, ...content));
    reveal(area);
  }

  /** Brings a new message into view when it appeared below the fold (narrow screens). */
  const reveal = (area) => area.scrollIntoView({ block: "nearest" });

  const clear = (...areas) => areas.forEach((area) => area.replaceChildren());

  // ---------------------------------------------------------------- problem details as readable messages

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

  /** A readable message from an API error: the title and code, the detail, field errors and context numbers. */
  function problemMessage(error, action) {
    const problem = error.problem;
    if (!problem) {
      const what = error.status ? `HTTP ${error.status}` : "No answer";
      return h("div", { class: "msg error", role: "alert" },
        h("p", { class: "msg-title" }, h("strong", {}, `${action}: ${what}`)),
        error.text ? h("p", {}, error.text) : null);
    }
    const title = (problem.title || action).replace(/\.$/, "");
    const errors = Object.entries(problem.errors || {}).flatMap(([field, messages]) =>
      (Array.isArray(messages) ? messages : [messages]).map((message) => [field, String(message)]));
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

  function showError(area, error, action) {
    if (!(error instanceof ApiError)) {
      console.error(error);
      error = new ApiError(0, null, String(error?.message || error));
    }
    area.replaceChildren(problemMessage(error, action));
    reveal(area);
  }

  /** Disables the button while the action runs, so a double click is one request. */
  async function busy(button, action) {
    if (button) button.disabled = true;
    try {
      await action();
    } finally {
      if (button) button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- usage bar

  function usage(u, large) {
    const total = big(u.total);
    const allocated = big(u.allocated);
    const permille = total === 0n ? 0 : Number((allocated * 1000n) / total);
    const percent = total === 0n ? "no pools"
      : allocated > 0n && permille === 0 ? "<0.1%"
        : `${permille % 10 === 0 ? permille / 10 : (permille / 10).toFixed(1)}%`;
    const fill = h("span", { class: "fill" });
    fill.style.width = `${total === 0n ? 0 : Math.max(permille / 10, allocated > 0n ? 1 : 0)}%`;
    const level = permille >= 900 ? "high" : permille >= 700 ? "mid" : "low";
    return h("div", { class: `usage${large ? " large" : ""}` },
      h("span", {
        class: `bar ${level}`, role: "meter", "aria-label": "Pool usage", "aria-valuemin": 0, "aria-valuemax": 100,
        "aria-valuenow": permille / 10, "aria-valuetext": `${percent} allocated`,
      }, fill),
      h("span", { class: "usage-text" },
        h("span", {}, h("b", {}, count(u.allocated)), ` / ${count(u.total)} allocated`),
        h("span", {}, `${count(u.free)} free`),
        h("span", { class: "muted" }, percent)));
  }

  // ---------------------------------------------------------------- views and routing

  const views = { subnets: $("#view-subnets"), subnet: $("#view-subnet"), pools: $("#view-pools"), events: $("#view-events") };
  const state = {
    subnets: [], subnetsNext: null, pools: [], scopes: [], current: null,
    page: { cursors: [null], index: 0, next: null, owner: "", size: 50 },
  };

  function show(name, title, focus) {
    for (const [key, view] of Object.entries(views)) view.hidden = key !== name;
    if (name !== "events") closeEvents();
    for (const link of document.querySelectorAll("[data-nav]")) {
      const current = link.dataset.nav === (name === "subnet" ? "subnets" : name);
      if (current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    document.title = `${title} · Ipam`;
    if (focus) {
      const heading = views[name].querySelector("h1");
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }

  function route(event) {
    const focus = Boolean(event);
    const hash = location.hash || "#/";
    const detail = /^#\/subnets\/([0-9A-Fa-f-]{36})$/.exec(hash);
    if (detail) openSubnet(detail[1], focus);
    else if (hash === "#/pools") openPools(focus);
    else if (hash === "#/events") openEvents(focus);
    else openSubnets(focus);
  }

  // ---------------------------------------------------------------- subnets list

  const filter = $("#filter");
  const version = $("#version");
  const subnetsMsg = $("#subnets-msg");

  async function openSubnets(focus) {
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
      [s.cidr, s.name, s.gateway_ip, s.id, poolsText(s)].some((v) => v && v.toLowerCase().includes(query)));
    $("#subnets-table tbody").replaceChildren(...rows.map((s) => h("tr", {},
      cell("CIDR", h("a", { href: `#/subnets/${s.id}`, class: "mono" }, s.cidr)),
      cell("Name", s.name || h("span", { class: "muted" }, "—")),
      cell("Gateway", s.gateway_ip ? h("span", { class: "mono nowrap" }, s.gateway_ip) : h("span", { class: "muted" }, "none")),
      cell("Allocation pools", s.allocation_pools.length ? h("span", { class: "mono" }, poolsText(s))
        : h("span", { class: "muted" }, "none")),
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

  // ---------------------------------------------------------------- create a subnet

  const createForm = $("#create-form");
  const createMsg = $("#create-msg");

  function parsePools(text) {
    return text.split(/[\n,]+/).map((line) => line.trim()).filter(Boolean).map((line) => {
      const [start, end, extra] = line.split(/\s*[-–]\s*/);
      if (extra !== undefined || !start) throw new Error(`“${line}” is not a range; write start-end, one range per line.`);
      return { start, end: end || start };
    });
  }

  createForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const f = createForm.elements;
    const body = {};
    const cidr = f.cidr.value.trim();
    if (cidr) body.cidr = cidr;
    if (f.subnet_pool_id.value) body.subnet_pool_id = f.subnet_pool_id.value;
    if (f.prefixlen.value !== "") body.prefixlen = Number(f.prefixlen.value);
    if (f.name.value.trim()) body.name = f.name.value.trim();
    if (f.ipv6_address_mode.value) body.ipv6_address_mode = f.ipv6_address_mode.value;
    if (f.gateway.value === "none") body.gateway_ip = null;
    if (f.gateway.value === "address") {
      if (!f.gateway_ip.value.trim()) {
        createMsg.replaceChildren(h("div", { class: "msg error", role: "alert" }, "Enter the gateway address, or choose Default or None."));
        f.gateway_ip.focus();
        return;
      }
      body.gateway_ip = f.gateway_ip.value.trim();
    }
    try {
      if (f.pools.value.trim()) body.allocation_pools = parsePools(f.pools.value);
    } catch (error) {
      createMsg.replaceChildren(h("div", { class: "msg error", role: "alert" }, error.message));
      f.pools.focus();
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
        showError(createMsg, error, "Could not create the subnet");
      }
    });
  });

  $("#c-gateway").addEventListener("input", () => {
    createForm.elements.gateway.value = "address";
  });

  // ---------------------------------------------------------------- one subnet

  const detailMsg = $("#detail-msg");
  const allocMsg = $("#alloc-msg");
  const listMsg = $("#list-msg");

  async function openSubnet(id, focus) {
    show("subnet", "Subnet", focus);
    if (state.current?.id !== id) {
      state.current = null;
      state.page = { cursors: [null], index: 0, next: null, owner: "", size: Number($("#l-size").value) };
      $("#l-owner").value = "";
      $("#detail-body").hidden = true;
      $("#detail-title").textContent = "Subnet";
      clear(detailMsg, allocMsg, listMsg);
    }
    if (await loadSubnet(id)) await loadAllocations();
  }

  async function loadSubnet(id) {
    try {
      const subnet = await api("GET", `v1/subnets/${encodeURIComponent(id)}`);
      state.current = subnet;
      renderSubnet(subnet);
      return true;
    } catch (error) {
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
      ["Allocation pools", poolsText(s) || "none"],
      ["Outside pools", `${count(s.usage.outside_pools)} allocated outside the pools`],
      ["Subnet pool", s.subnet_pool_id ? (pool ? pool.name : s.subnet_pool_id) : "none"],
      ["IPv6 address mode", s.ipv6_address_mode || "none"],
      ["Tenant", s.tenant_id || "none"],
      ["Created", time(s.created_at)],
    ];
    $("#detail-facts").replaceChildren(...facts.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v))));
    $("#detail-body").hidden = false;
    if (detailMsg.querySelector(".error")) clear(detailMsg);
  }

  // ---- allocate

  async function allocate(body, button) {
    const subnet = state.current;
    if (!subnet) return;
    const owner = $("#a-owner").value.trim();
    const description = $("#a-description").value.trim();
    if (owner) body.owner = owner;
    if (description) body.description = description;
    await busy(button, async () => {
      try {
        const result = await api("POST", `v1/subnets/${subnet.id}/allocations`, body);
        const addresses = (result.items || [result]).map((a) => a.ip_address);
        const shown = addresses.slice(0, 50).join(", ") + (addresses.length > 50 ? `, and ${addresses.length - 50} more` : "");
        showOk(allocMsg, addresses.length === 1 ? "Allocated " : `Allocated ${addresses.length} addresses: `,
          h("b", { class: "mono" }, shown), ".");
        await Promise.all([loadSubnet(subnet.id), loadAllocations()]);
      } catch (error) {
        showError(allocMsg, error, "Allocation failed");
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

  // ---- allocations, paged with the API's cursor

  async function loadAllocations() {
    const subnet = state.current;
    if (!subnet) return;
    const page = state.page;
    const params = new URLSearchParams({ limit: String(page.size) });
    if (page.owner) params.set("owner", page.owner);
    if (page.cursors[page.index]) params.set("cursor", page.cursors[page.index]);
    try {
      const result = await api("GET", `v1/subnets/${subnet.id}/allocations?${params}`);
      if (result.items.length === 0 && page.index > 0) {
        page.index--; // releases emptied this page
        await loadAllocations();
        return;
      }
      page.next = result.next;
      $("#allocations-table tbody").replaceChildren(...result.items.map((a) => h("tr", {},
        cell("Address", h("span", { class: "mono" }, a.ip_address)),
        cell("Owner", a.owner || h("span", { class: "muted" }, "—")),
        cell("Description", a.description || h("span", { class: "muted" }, "—")),
        cell("Created", time(a.created_at)),
        cell("Expires", a.expires_at ? time(a.expires_at) : h("span", { class: "muted" }, "never")),
        cell("Actions", h("span", { class: "actions" }, h("button", {
          type: "button", class: "small", "aria-label": `Release ${a.ip_address}`,
          onclick: (e) => release(a, e.currentTarget),
        }, "Release"), " ", historyButton(a))))));
      $("#allocations-empty").hidden = result.items.length > 0;
      $("#allocations-empty").textContent = page.owner ? `No allocations owned by “${page.owner}”.` : "No allocations.";
      const first = page.index * page.size + 1;
      $("#page-info").textContent = result.items.length === 0 ? "" :
        `Page ${page.index + 1}: allocations ${first}–${first + result.items.length - 1}${page.next ? "" : " (last page)"}`;
      if (listMsg.querySelector(".error")) clear(listMsg);
    } catch (error) {
      showError(listMsg, error, "Could not load the allocations");
    }
    updatePager();
  }

  function updatePager() {
    const page = state.page;
    $("#page-first").disabled = $("#page-prev").disabled = page.index === 0;
    $("#page-next").disabled = !page.next;
  }

  async function release(allocation, button) {
    const subnet = state.current;
    await busy(button, async () => {
      try {
        await api("DELETE", `v1/subnets/${subnet.id}/allocations/${encodeURIComponent(allocation.ip_address)}`);
        const undo = h("button", { type: "button", class: "small", onclick: (e) => reallocate(allocation, e.currentTarget) }, "Undo");
        showOk(listMsg, "Released ", h("b", { class: "mono" }, allocation.ip_address), ". ", undo);
        await Promise.all([loadSubnet(subnet.id), loadAllocations()]);
      } catch (error) {
        showError(listMsg, error, `Could not release ${allocation.ip_address}`);
      }
    });
  }

  async function reallocate(allocation, button) {
    const subnet = state.current;
    const body = { ip_address: allocation.ip_address };
    if (allocation.owner) body.owner = allocation.owner;
    if (allocation.description) body.description = allocation.description;
    if (allocation.expires_at) body.expires_at = allocation.expires_at;
    if (allocation.ip_address === subnet.gateway_ip) body.allow_gateway = true;
    await busy(button, async () => {
      try {
        await api("POST", `v1/subnets/${subnet.id}/allocations`, body);
        showOk(listMsg, "Allocated ", h("b", { class: "mono" }, allocation.ip_address), " again.");
        await Promise.all([loadSubnet(subnet.id), loadAllocations()]);
      } catch (error) {
        showError(listMsg, error, `Could not allocate ${allocation.ip_address} again`);
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
    state.page = { cursors: [null], index: 0, next: null, owner: $("#l-owner").value.trim(), size: Number($("#l-size").value) };
    busy(event.submitter, loadAllocations);
  });
  $("#l-size").addEventListener("change", () => $("#alloc-filter").requestSubmit());

  // ---- delete

  const dialog = $("#delete-dialog");
  const deleteMsg = $("#delete-msg");

  $("#delete-open").addEventListener("click", () => {
    const s = state.current;
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
    const s = state.current;
    const force = $("#delete-force").checked;
    try {
      await api("DELETE", `v1/subnets/${s.id}${force ? "?force=true" : ""}`);
      dialog.close();
      state.current = null;
      showOk(subnetsMsg, `Deleted subnet ${s.cidr}${s.name ? ` (${s.name})` : ""}.`);
      location.hash = "#/";
    } catch (error) {
      showError(deleteMsg, error, "Could not delete the subnet");
      if (error.problem?.code === "in-use") {
        deleteMsg.firstChild.append(h("p", {}, "Tick “Also release all of its allocations (force)” to delete it anyway."));
        $("#delete-force").focus();
      }
    }
  }));

  // ---------------------------------------------------------------- subnet pools and address scopes

  const poolsMsg = $("#pools-msg");

  async function loadPools() {
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
    return true;
  }

  async function openPools(focus) {
    show("pools", "Subnet pools", focus);
    if (!(await loadPools())) return;
    const available = await Promise.all(state.pools.map((p) =>
      api("GET", `v1/subnet-pools/${p.id}/available-prefixes`).then((r) => r.prefixes, (error) => error)));
    const scopeName = (id) => state.scopes.find((s) => s.id === id)?.name || id;
    $("#pools-table tbody").replaceChildren(...state.pools.map((p, i) => h("tr", {},
      cell("Name", p.name),
      cell("IP version", `IPv${p.ip_version}`),
      cell("Prefixes", h("span", { class: "mono" }, p.prefixes.join(", "))),
      cell("Prefix lengths", `min /${p.min_prefixlen} · default /${p.default_prefixlen} · max /${p.max_prefixlen}`),
      cell("Quota", p.default_quota === null ? h("span", { class: "muted" }, "none") : count(p.default_quota)),
      cell("Address scope", p.address_scope_id ? scopeName(p.address_scope_id) : h("span", { class: "muted" }, "none")),
      cell("Available prefixes", availableList(available[i])))));
    $("#pools-empty").hidden = state.pools.length > 0;
    $("#scopes-table tbody").replaceChildren(...state.scopes.map((s) => h("tr", {},
      cell("Name", s.name), cell("IP version", `IPv${s.ip_version}`), cell("ID", h("span", { class: "mono" }, s.id)))));
    $("#scopes-empty").hidden = state.scopes.length > 0;
    if (poolsMsg.querySelector(".error")) clear(poolsMsg);
  }

  function availableList(prefixes) {
    if (prefixes instanceof Error) return problemMessage(prefixes, "Could not load");
    if (prefixes.length === 0) return h("span", { class: "muted" }, "none (full)");
    const list = h("ul", { class: "prefixes mono" }, prefixes.map((p) => h("li", {}, p)));
    return prefixes.length <= 8 ? list : h("details", {}, h("summary", {}, `${prefixes.length} prefixes`), list);
  }

  // ---------------------------------------------------------------- an address's history, in a row under its allocation

  function historyButton(allocation) {
    return h("button", {
      type: "button", class: "small", "aria-expanded": "false", "aria-label": `History of ${allocation.ip_address}`,
      onclick: (e) => toggleHistory(allocation, e.currentTarget),
    }, "History");
  }

  async function toggleHistory(allocation, button) {
    const row = button.closest("tr");
    if (row.nextElementSibling?.classList.contains("history-row")) {
      row.nextElementSibling.remove();
      button.setAttribute("aria-expanded", "false");
      return;
    }
    const subnet = state.current;
    const area = h("td", { colspan: String(row.children.length), "aria-live": "polite" }, h("span", { class: "muted" }, "Loading…"));
    row.after(h("tr", { class: "history-row" }, area));
    button.setAttribute("aria-expanded", "true");
    try {
      const path = `v1/subnets/${subnet.id}/allocations/${encodeURIComponent(allocation.ip_address)}/history?limit=100`;
      const result = await api("GET", path);
      area.replaceChildren(historyTable(allocation.ip_address, result.items),
        result.next ? h("p", { class: "muted" }, "Only the 100 most recent are shown.") : null);
    } catch (error) {
      area.replaceChildren(problemMessage(error, `Could not load the history of ${allocation.ip_address}`));
    }
  }

  function historyTable(address, periods) {
    const muted = (text) => h("span", { class: "muted" }, text);
    return h("table", { class: "history", "aria-label": `History of ${address}` },
      h("thead", {}, h("tr", {}, ["Owner", "Description", "Allocated", "By", "Released", "Released by", "Reason"]
        .map((title) => h("th", { scope: "col" }, title)))),
      h("tbody", {}, periods.map((p) => h("tr", {},
        cell("Owner", p.owner || muted("—")),
        cell("Description", p.description || muted("—")),
        cell("Allocated", time(p.allocated_at)),
        cell("By", p.allocated_by || muted("—")),
        cell("Released", p.released_at ? time(p.released_at) : muted("current")),
        cell("Released by", p.released_by || muted("—")),
        cell("Reason", p.release_reason || muted("—"))))));
  }

  // ---------------------------------------------------------------- events (server-sent, live)

  const EVENT_TYPES = [
    "allocation.created", "allocation.released", "allocation.expired",
    "subnet.created", "subnet.updated", "subnet.deleted",
    "subnet-pool.created", "subnet-pool.updated", "subnet-pool.deleted",
    "address-scope.created", "address-scope.deleted",
    "token.created", "token.revoked",
  ];
  const EVENTS_SHOWN = 200;
  let eventSource = null;

  function openEvents(focus) {
    show("events", "Events", focus);
    if (eventSource) return;
    $("#events-table tbody").replaceChildren();
    $("#events-empty").hidden = false;
    const status = $("#events-status");
    status.textContent = "Connecting…";
    // The latest events first, then each one as it commits; EventSource resumes with Last-Event-ID on its own.
    eventSource = new EventSource(`v1/events?tail=${EVENTS_SHOWN}`);
    eventSource.onopen = () => { status.textContent = "Live."; };
    eventSource.onerror = () => { status.textContent = "Reconnecting…"; };
    for (const type of EVENT_TYPES) eventSource.addEventListener(type, (message) => addEvent(parseExact(message.data)));
  }

  function closeEvents() {
    eventSource?.close();
    eventSource = null;
  }

  function addEvent(e) {
    const subject = e.subnet_id
      ? h("a", { class: "mono", href: `#/subnets/${e.subnet_id}` }, e.cidr || e.after?.cidr || e.before?.cidr || e.subnet_id)
      : h("span", { class: "mono" }, e.resource_id || "—");
    const address = e.ip_address ? [h("span", { class: "mono" }, e.ip_address), e.reason && e.reason !== "released" ? ` (${e.reason})` : ""] : "—";
    const body = $("#events-table tbody");
    body.prepend(h("tr", { "data-event-id": e.id },
      cell("Time", h("span", { class: "nowrap" }, time(e.at))),
      cell("Type", e.type),
      cell("Subnet or resource", subject),
      cell("Address", address),
      cell("Actor", e.actor)));
    while (body.rows.length > EVENTS_SHOWN) body.lastElementChild.remove();
    $("#events-empty").hidden = true;
  }

  // ---------------------------------------------------------------- start

  window.addEventListener("hashchange", route);
  route();
})();
