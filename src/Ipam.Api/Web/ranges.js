// Allocation pools as text: "start-end" ranges, one per line (or comma separated), a single address for one.

export const poolsText = (pools, separator = ", ") =>
  pools.map((p) => (p.start === p.end ? p.start : `${p.start}-${p.end}`)).join(separator);

/** The ranges of `text`; throws an Error naming the line that is not a range. */
export function parsePools(text) {
  return text.split(/[\n,]+/).map((line) => line.trim()).filter(Boolean).map((line) => {
    const [start, end, extra] = line.split(/\s*[-–]\s*/);
    if (extra !== undefined || !start) throw new Error(`“${line}” is not a range; write start-end, one range per line.`);
    return { start, end: end || start };
  });
}
