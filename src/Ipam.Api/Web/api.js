// The /v1 API over fetch. A server that requires tokens answers 401: the page then asks for one (token.js) and
// sends it with every request and the events stream alike.
import { parseExact, stringifyExact } from "./json.js";
import { askForToken, storedToken, withToken } from "./token.js";

export class ApiError extends Error {
  constructor(status, problem, text) {
    super(problem?.detail || text || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.text = text;
  }
}

export async function api(method, path, body, askAgain = true) {
  const init = { method, headers: { Accept: "application/json, application/problem+json" } };
  withToken(init.headers);
  const sent = init.headers.Authorization ? storedToken() : null;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = stringifyExact(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(0, null, `The server could not be reached (${error.message}).`);
  }
  if (response.status === 401 && askAgain && (await askForToken(sent))) return api(method, path, body, false);
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
export async function listAll(path) {
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
