/**
 * Byte ranges (RFC 9110 §14): parses a `Range` header against a representation's size.
 * Syntax the server does not understand is ignored ("none"), as the RFC asks.
 */

export type ByteRange = { start: number; end: number };
export type RangeResult =
  | { kind: "none" }
  | { kind: "single"; start: number; end: number }
  | { kind: "multiple"; ranges: ByteRange[] }
  | { kind: "unsatisfiable" };

/** More ranges than this in one header are treated as abuse and ignored. */
const MAX_RANGES = 100;
const RANGE_SPEC = /^(\d*)-(\d*)$/;

/** `parseRange("bytes=0-99", 1000)` -> `{ kind: "single", start: 0, end: 99 }` (end inclusive). */
export function parseRange(header: string | null, size: number): RangeResult {
  if (header === null) return { kind: "none" };
  const equals = header.indexOf("=");
  if (equals === -1 || header.slice(0, equals).trim().toLowerCase() !== "bytes") return { kind: "none" };

  const specs = header.slice(equals + 1).split(",");
  if (specs.length > MAX_RANGES) return { kind: "none" };
  const ranges: ByteRange[] = [];
  let sawSpec = false;
  for (const raw of specs) {
    const spec = raw.trim();
    if (spec === "") continue; // empty list elements are allowed
    const match = RANGE_SPEC.exec(spec);
    if (match === null || (match[1] === "" && match[2] === "")) return { kind: "none" };
    sawSpec = true;
    const range = match[1] === "" ? suffix(Number(match[2]), size) : span(Number(match[1]), match[2], size);
    if (range === "invalid") return { kind: "none" };
    if (range !== "unsatisfiable") ranges.push(range);
  }
  if (!sawSpec) return { kind: "none" };
  if (ranges.length === 0) return { kind: "unsatisfiable" };
  if (ranges.length === 1) return { kind: "single", ...ranges[0] };
  return { kind: "multiple", ranges };
}

/** `-N`: the last N bytes. */
function suffix(length: number, size: number): ByteRange | "unsatisfiable" {
  if (length === 0 || size === 0) return "unsatisfiable";
  return { start: Math.max(0, size - length), end: size - 1 };
}

/** `A-B` or `A-`: from A to B (clamped to the end), or to the end. */
function span(start: number, lastText: string, size: number): ByteRange | "unsatisfiable" | "invalid" {
  const last = lastText === "" ? Infinity : Number(lastText);
  if (last < start) return "invalid";
  if (start >= size) return "unsatisfiable";
  return { start, end: Math.min(last, size - 1) };
}
