// The page's views: one visible at a time, the navigation marking it, and what each does when left.
import { $ } from "./dom.js";

const views = { subnets: $("#view-subnets"), subnet: $("#view-subnet"), pools: $("#view-pools"), events: $("#view-events") };
const leaving = new Map();
let shown = null;

/** Runs `action` whenever the view `name` is left for another (each action registered, in order). */
export const onLeave = (name, action) => leaving.set(name, [...(leaving.get(name) || []), action]);

export function show(name, title, focus) {
  if (shown !== name) for (const action of leaving.get(shown) || []) action();
  shown = name;
  for (const [key, view] of Object.entries(views)) view.hidden = key !== name;
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
