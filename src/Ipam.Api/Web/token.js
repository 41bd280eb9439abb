// The API token of a server that requires one: asked for in a small dialog (a password field) when a request is
// refused, kept for this tab only (sessionStorage), and changed or forgotten with the buttons in the page header.
import { byIds } from "./dom.js";

const TOKEN_KEY = "ipam.token";
const SIGNED_OUT_KEY = "ipam.signed-out";
const [dialog, form, title, text, input, note, cancel] =
  byIds("token-dialog", "token-form", "token-title", "token-text", "token-input", "token-note", "token-cancel");
const [controls, signIn, change, signOut] = byIds("token-controls", "token-sign-in", "token-change", "token-sign-out");

const QUESTIONS = {
  needed: ["API token needed", "This server requires an API token (ipam token create). It is kept for this tab only."],
  refused: ["API token refused", "The server refused the API token: it is unknown, expired or revoked. Enter another."],
  change: ["Change the API token", "The new token replaces the one this tab uses."],
};

let required = false; // the server has refused a request for want of a token
let asking = null; // the open question, which every request refused while it is open waits for
// After Cancel (or signing out) requests are not asked for a token again: "Enter token…" in the header does that.
let declined = sessionStorage.getItem(SIGNED_OUT_KEY) === "1";
sessionStorage.removeItem(SIGNED_OUT_KEY);

export const storedToken = () => sessionStorage.getItem(TOKEN_KEY);

/** The headers of a request, with the stored token when there is one. */
export function withToken(headers) {
  const token = storedToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

/**
 * After a 401 to a request sent with the token `refused` (null: none), resolves to true when there is a token to
 * retry with. Requests refused together share one question: those refused while it is open wait for its answer,
 * and those refused after it find the token it gave (or, after Cancel, are not asked again).
 */
export function askForToken(refused) {
  required = true;
  const current = storedToken();
  if (current && current !== refused) return Promise.resolve(true);
  if (asking) return asking;
  if (current) sessionStorage.removeItem(TOKEN_KEY);
  showControls();
  return declined ? Promise.resolve(false) : ask(refused ? "refused" : "needed");
}

/** Opens the dialog, or joins the open one; resolves to true when a token was entered (and stored), false on Cancel or Escape. */
function ask(question) {
  if (asking) return asking;
  [title.textContent, text.textContent] = QUESTIONS[question];
  input.value = "";
  note.textContent = "";
  input.removeAttribute("aria-invalid");
  dialog.returnValue = "";
  dialog.showModal();
  input.focus();
  asking = new Promise((resolve) => dialog.addEventListener("close", () => {
    asking = null;
    const entered = dialog.returnValue === "token";
    if (entered) {
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      declined = false;
    } else if (question !== "change") {
      declined = true;
    }
    input.value = "";
    showControls();
    resolve(entered);
  }, { once: true }));
  return asking;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!input.value.trim()) {
    note.textContent = "Enter a token, or Cancel.";
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return;
  }
  dialog.close("token");
});
cancel.addEventListener("click", () => dialog.close(""));

/** Shows "Enter token…" when the server wants a token and there is none, "Change token" and "Sign out" when there is. */
function showControls() {
  const token = storedToken();
  signIn.hidden = !required || Boolean(token);
  change.hidden = signOut.hidden = !token;
  controls.hidden = signIn.hidden && change.hidden;
}

// Anything shown was loaded with the token of before: the page starts again with the new one, or with none.
signIn.addEventListener("click", () => ask("needed").then((entered) => entered && location.reload()));
change.addEventListener("click", () => ask("change").then((entered) => entered && location.reload()));
signOut.addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.setItem(SIGNED_OUT_KEY, "1");
  location.reload();
});

showControls();
