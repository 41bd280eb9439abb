// JSON with exact integers: address counts and quotas can exceed 2^53 (IPv6), so they are kept as strings or
// BigInt, never Number, both when read and when sent.

/** JSON.parse, except that integers of more than 15 digits become strings, so that nothing is rounded. */
export function parseExact(text) {
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

export const big = (value) => (value === null || value === undefined || value === "" ? 0n : BigInt(value));
export const count = (value) => big(value).toLocaleString("en-US");
export const isInteger = (value) => typeof value === "number" || (typeof value === "string" && /^-?\d+$/.test(value));

/** JSON.stringify, except that a BigInt is written as the exact JSON number it is (JSON.stringify refuses BigInt). */
export function stringifyExact(value) {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : stringifyExact(item))).join(",")}]`;
  if (value && typeof value === "object") {
    const members = Object.entries(value).filter(([, item]) => item !== undefined);
    return `{${members.map(([key, item]) => `${JSON.stringify(key)}:${stringifyExact(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A value as the text that compares integers exactly (512, 512n and "512" alike), "null" for none. */
export function exactText(value) {
  if (value === null || value === undefined) return "null";
  const whole = typeof value === "bigint" || Number.isSafeInteger(value) || (typeof value === "string" && /^-?\d+$/.test(value));
  return whole ? BigInt(value).toString() : String(value);
}
