/**
 * Proactive content negotiation (RFC 9110 §12.5): `Accept` for media types and
 * `Accept-Encoding` for content codings, with q-values, wildcards and specificity.
 */

interface MediaRange {
  type: string;
  subtype: string;
  params: [string, string][];
  q: number;
}

/** A q-value as RFC 9110 §12.4.2 allows it ("0" to "1" with up to three decimals); else undefined. */
function parseQ(value: string): number | undefined {
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return undefined;
  return Number(value);
}

function splitParams(part: string): { head: string; params: [string, string][]; q: number } | undefined {
  const pieces = part.split(";");
  const head = pieces[0].trim().toLowerCase();
  const params: [string, string][] = [];
  let q = 1;
  for (const piece of pieces.slice(1)) {
    const eq = piece.indexOf("=");
    if (eq === -1) continue;
    const name = piece.slice(0, eq).trim().toLowerCase();
    const value = piece
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1");
    if (name === "q") {
      const parsed = parseQ(value);
      if (parsed === undefined) return undefined;
      q = parsed;
      break; // parameters after q are accept-extensions, not media type parameters
    }
    params.push([name, value.toLowerCase()]);
  }
  return { head, params, q };
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of accept.split(",")) {
    const parsed = splitParams(part);
    if (parsed === undefined || parsed.head === "") continue;
    const slash = parsed.head.indexOf("/");
    if (slash === -1) continue;
    const type = parsed.head.slice(0, slash);
    const subtype = parsed.head.slice(slash + 1);
    if (type === "*" && subtype !== "*") continue;
    ranges.push({ type, subtype, params: parsed.params, q: parsed.q });
  }
  return ranges;
}

/** How specifically a media range names an offered type: -1 no match, higher is more specific. */
function specificity(range: MediaRange, type: string, subtype: string, params: [string, string][]): number {
  if (range.type !== "*" && range.type !== type) return -1;
  if (range.subtype !== "*" && range.subtype !== subtype) return -1;
  for (const [name, value] of range.params) {
    if (!params.some(([n, v]) => n === name && v === value)) return -1;
  }
  return (range.type === "*" ? 0 : 4) + (range.subtype === "*" ? 0 : 2) + (range.params.length > 0 ? 1 : 0);
}

/**
 * The offered media type the client prefers: highest q, then the most specific matching range,
 * then the server's order. No Accept header means anything goes (the first offer).
 * Returns the offered string as given, or undefined when nothing is acceptable.
 */
export function negotiateMediaType(accept: string | null, offered: readonly string[]): string | undefined {
  if (offered.length === 0) return undefined;
  if (accept === null || accept.trim() === "") return offered[0];
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return offered[0];

  let best: string | undefined;
  let bestQ = 0;
  let bestSpecificity = -1;
  for (const offer of offered) {
    const parsed = splitParams(offer);
    if (parsed === undefined) continue;
    const [type, subtype = ""] = parsed.head.split("/");
    // The most specific matching range decides this offer's q (RFC 9110 §12.5.1).
    let q = 0;
    let mostSpecific = -1;
    for (const range of ranges) {
      const s = specificity(range, type, subtype, parsed.params);
      if (s > mostSpecific) {
        mostSpecific = s;
        q = range.q;
      }
    }
    if (mostSpecific < 0 || q === 0) continue;
    if (q > bestQ || (q === bestQ && mostSpecific > bestSpecificity)) {
      best = offer;
      bestQ = q;
      bestSpecificity = mostSpecific;
    }
  }
  return best;
}

/**
 * The offered content coding the client prefers (highest q, then the server's order).
 * - No Accept-Encoding header: every coding is acceptable; "identity" is chosen when offered.
 * - "identity" is acceptable unless excluded by `identity;q=0`, or by `*;q=0` without an identity entry.
 * Returns undefined when no offered coding is acceptable.
 */
export function negotiateEncoding(acceptEncoding: string | null, offered: readonly string[]): string | undefined {
  if (acceptEncoding === null) return offered.includes("identity") ? "identity" : offered[0];
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const parsed = splitParams(part);
    if (parsed === undefined || parsed.head === "") continue;
    // x-gzip is an alias of gzip (RFC 9110 §8.4.1.3).
    const coding = parsed.head === "x-gzip" ? "gzip" : parsed.head;
    weights.set(coding, Math.max(parsed.q, weights.get(coding) ?? 0));
  }
  const star = weights.get("*");

  let best: string | undefined;
  let bestQ = 0;
  for (const offer of offered) {
    const coding = offer.toLowerCase();
    let q = weights.get(coding) ?? star;
    if (q === undefined) q = coding === "identity" ? 1 : 0;
    if (q > bestQ) {
      best = offer;
      bestQ = q;
    }
  }
  return best;
}
