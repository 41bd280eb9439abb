// The usage bar of a subnet's allocation pools, exact for IPv6 counts.
import { big, count } from "./json.js";
import { h } from "./dom.js";

export function usage(u, large) {
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
