// A subnet pool drawn like a subnet's map: each of its prefixes a strip, the free prefixes marked where they lie,
// the rest used by subnets; and how many addresses are used and free in all, exact for IPv6.
import { h } from "./dom.js";
import { usage } from "./usage.js";

/** The address as a BigInt (IPv4 in 32 bits, IPv6 in 128). */
export function addressValue(text) {
  if (!text.includes(":")) return text.split(".").reduce((value, part) => (value << 8n) | BigInt(part), 0n);
  // An IPv6 address may end in dotted IPv4 (::ffff:192.0.2.1): that part is its last two words.
  const dotted = text.slice(text.lastIndexOf(":") + 1);
  if (dotted.includes(".")) {
    const v4 = addressValue(dotted);
    text = `${text.slice(0, text.length - dotted.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail = ""] = text.split("::");
  const words = (part) => (part ? part.split(":") : []);
  const missing = 8 - words(head).length - words(tail).length;
  const all = [...words(head), ...Array(text.includes("::") ? missing : 0).fill("0"), ...words(tail)];
  return all.reduce((value, word) => (value << 16n) | BigInt(`0x${word}`), 0n);
}

/** `{start, size}` of a prefix such as 10.8.0.0/16. */
export function prefixSpan(cidr) {
  const [address, length] = cidr.split("/");
  const bits = address.includes(":") ? 128n : 32n;
  return { start: addressValue(address), size: 1n << (bits - BigInt(length)) };
}

const percentOf = (part, whole) => Number((part * 100000n) / whole) / 1000;

/** The pool's used and free addresses, and one strip per prefix; `available` as the server lists it. */
export function poolMap(pool, available) {
  const prefixes = pool.prefixes.map((cidr) => ({ cidr, ...prefixSpan(cidr) }));
  const free = available.map((cidr) => ({ cidr, ...prefixSpan(cidr) }));
  const total = prefixes.reduce((sum, p) => sum + p.size, 0n);
  const freeTotal = free.reduce((sum, f) => sum + f.size, 0n);
  const strips = prefixes.map((p) => {
    const inside = free.filter((f) => f.start >= p.start && f.start < p.start + p.size);
    const freeHere = inside.reduce((sum, f) => sum + f.size, 0n);
    const strip = h("span", {
      class: "pool-strip", role: "img",
      "aria-label": `${p.cidr}: ${percentOf(p.size - freeHere, p.size)}% used by subnets, free: ${inside.map((f) => f.cidr).join(", ") || "none"}`,
    }, inside.map((f) => {
      const segment = h("span", { class: "pool-free", title: `${f.cidr} free` });
      segment.style.left = `${percentOf(f.start - p.start, p.size)}%`;
      segment.style.width = `${Math.max(percentOf(f.size, p.size), 0.2)}%`;
      return segment;
    }));
    return h("div", { class: "pool-prefix" }, h("span", { class: "mono" }, p.cidr), strip);
  });
  return h("div", { class: "pool-map" },
    usage({ total: String(total), allocated: String(total - freeTotal), free: String(freeTotal) }),
    ...strips);
}
