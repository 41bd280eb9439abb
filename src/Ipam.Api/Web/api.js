// The /v1 API over fetch. A server that requires tokens answers 401: the page then asks for one and keeps it
// for this tab only (sessionStorage), for every request and the events stream alike.
import { parseExact, stringifyExact } from "./json.js";

export class ApiError extends Error {
  constructor(status, problem, text) {
    super(problem?.detail || text || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.text = text;
  }
}

const TOKEN_KEY = "ipam.token";

export const storedToken = () => sessionStorage.getItem(TOKEN_KEY);

/** The headers of a request, with the stored token when there is one. */
export function withToken(headers) {
  const token = storedToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

/**
 * After a 401 to a request sent with `refused` (null: none), asks for a token; true when there is a new one to
 * retry with. Requests refused together ask once: the later ones find the token the first one was given.
 */
export function askForToken(refused) {
  const current = storedToken();
  if (current && current !== refused) return true;
  sessionStorage.removeItem(TOKEN_KEY);
  const entered = window.prompt(refused
    ? "The API token was refused (unknown, expired or revoked). Enter another:"
    : "This server requires an API token ('ipam token create'). Token:");
  if (!entered || !entered.trim()) return false;
  sessionStorage.setItem(TOKEN_KEY, entered.trim());
  return true;
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
  if (response.status === 401 && askAgain && askForToken(sent)) return api(method, path, body, false);
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
