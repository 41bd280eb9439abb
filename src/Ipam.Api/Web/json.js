// JSON with exact integers: address counts can exceed 2^53 (IPv6), so they are kept as strings and computed with
// BigInt, never Number.

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
