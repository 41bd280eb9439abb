// The usage bar of a subnet's allocation pools, exact for IPv6 counts.
import { big, count } from "./json.js";
import { h } from "./dom.js";

/**
 * `part` of `whole` (BigInts, whole > 0) in percent to one decimal, rounded half up, except that what is not full
 * never reads 100% nor what is not empty 0%: those read ">99.9%" and "<0.1%". `value` is the number shown.
 */
export function percentage(part, whole) {
  const tenths = ((part * 2000n) / whole + 1n) / 2n;
  if (part > 0n && tenths === 0n) return { value: 0.1, text: "<0.1%" };
  if (part < whole && tenths >= 1000n) return { value: 99.9, text: ">99.9%" };
  return { value: Number(tenths) / 10, text: `${Number(tenths) / 10}%` };
}

export function usage(u, large) {
  const total = big(u.total);
  const allocated = big(u.allocated);
  const permille = total === 0n ? 0 : Number((allocated * 1000n) / total);
  const share = total === 0n ? { value: 0, text: "no pools" } : percentage(allocated, total);
  const percent = share.text;
  const fill = h("span", { class: "fill" });
  fill.style.width = `${total === 0n ? 0 : Math.max(permille / 10, allocated > 0n ? 1 : 0)}%`;
  const level = permille >= 900 ? "high" : permille >= 700 ? "mid" : "low";
  return h("div", { class: `usage${large ? " large" : ""}` },
    h("span", {
      class: `bar ${level}`, role: "meter", "aria-label": "Pool usage", "aria-valuemin": 0, "aria-valuemax": 100,
      "aria-valuenow": share.value, "aria-valuetext": `${percent} allocated`,
    }, fill),
    h("span", { class: "usage-text" },
      h("span", {}, h("b", {}, count(u.allocated)), ` / ${count(u.total)} allocated`),
      h("span", {}, `${count(u.free)} free`),
      h("span", { class: "muted" }, percent)));
}
