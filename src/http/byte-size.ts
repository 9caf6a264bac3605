const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/**
 * Bytes as a number or as text with a binary unit ("1048576", "512kb", "1mb", "2gb");
 * undefined when `raw` is not a size. Infinity is a size (no limit).
 */
export function byteSize(raw: unknown): number | undefined {
  if (raw === Number.POSITIVE_INFINITY) return raw;
  if (typeof raw !== "number" && typeof raw !== "string") return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(String(raw).trim().toLowerCase());
  const unit = match ? UNITS[match[2]] : undefined;
  return match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : undefined;
}

/** byteSize for a setting or option: a value that is not a size throws a TypeError that names it. */
export function requireByteSize(raw: unknown, name: string): number {
  const size = byteSize(raw);
  if (size === undefined)
    throw new TypeError(
      `${name} is ${JSON.stringify(raw)}, which is not a size (bytes such as 1048576, or 512kb, 1mb)`,
    );
  return size;
}
