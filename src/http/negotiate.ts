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

/** A content coding as RFC 9110 §5.6.2 spells a token, lowercased; `*` is one too. */
const CODING_TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
/** The only parameter Accept-Encoding has (RFC 9110 §12.5.3): `q=` with a q-value of §12.4.2. */
const WEIGHT = /^[ \t]*q[ \t]*=[ \t]*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)[ \t]*$/i;
/**
 * The rank of identity when the header does not name it (nor `*`): acceptable, and below every
 * q a client can write (the smallest is 0.001), so any coding the client lists wins over it.
 */
const UNNAMED_IDENTITY = Number.MIN_VALUE;

/**
 * The q-value of each coding an Accept-Encoding header names. An element that is not
 * `coding` or `coding;q=qvalue` (a bad token, a q above 1 or with four decimals, another
 * parameter) is ignored: a coding the client did not clearly accept is never sent.
 * A coding named twice keeps its highest q. Linear in the header's length: one pass of indexOf
 * over the commas (no array of a million empty elements for a header of commas), then per
 * element anchored patterns without nested repetition.
 */
function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (let start = 0; start <= header.length; ) {
    let end = header.indexOf(",", start);
    if (end === -1) end = header.length;
    const element = header.slice(start, end);
    start = end + 1;
    if (element.length === 0) continue;
    const semicolon = element.indexOf(";");
    const name = (semicolon === -1 ? element : element.slice(0, semicolon)).trim().toLowerCase();
    if (!CODING_TOKEN.test(name)) continue;
    let q = 1;
    if (semicolon !== -1) {
      const weight = WEIGHT.exec(element.slice(semicolon + 1));
      if (weight === null) continue;
      q = Number(weight[1]);
    }
    // x-gzip is an alias of gzip (RFC 9110 §8.4.1.3).
    const coding = name === "x-gzip" ? "gzip" : name;
    weights.set(coding, Math.max(q, weights.get(coding) ?? 0));
  }
  return weights;
}

/**
 * The offered content coding to send (RFC 9110 §12.5.3), the one rule of the public folder's
 * precompressed siblings and of the compression middleware:
 * - no Accept-Encoding header: "identity" when offered (anything is acceptable, plain is safest);
 * - a coding's q is its own entry's, else `*`'s, else 0; identity's, when neither names it, is
 *   above 0 and below every written q: it is acceptable but has no higher claim than a coding
 *   the client lists (`gzip;q=0.1` gets gzip; `gzip;q=0.1, identity;q=0.5` gets identity);
 * - the highest q wins; on a tie a compressed coding beats identity, then the server's order decides;
 * - q=0 refuses: `identity;q=0`, or `*;q=0` without an identity entry, refuses identity too.
 * Returns the offered string as given, or undefined when nothing offered is acceptable (the
 * public folder and the compression middleware then send identity anyway; see chooseVariant).
 */
export function negotiateEncoding(acceptEncoding: string | null, offered: readonly string[]): string | undefined {
  if (acceptEncoding === null) return offered.includes("identity") ? "identity" : offered[0];
  const weights = parseAcceptEncoding(acceptEncoding);
  const star = weights.get("*");

  let best: string | undefined;
  let bestQ = 0;
  let bestIsIdentity = false;
  for (const offer of offered) {
    const coding = offer.toLowerCase();
    const isIdentity = coding === "identity";
    const q = weights.get(coding) ?? star ?? (isIdentity ? UNNAMED_IDENTITY : 0);
    if (q === 0) continue;
    if (q > bestQ || (q === bestQ && bestIsIdentity && !isIdentity)) {
      best = offer;
      bestQ = q;
      bestIsIdentity = isIdentity;
    }
  }
  return best;
}

/**
 * The media ranges of an Accept header, most preferred first (q, then specificity, then the
 * client's order), without parameters; `["*\/*"]` when there is no header (Sinatra's `request.accept`).
 */
export function acceptedMediaTypes(accept: string | null): string[] {
  if (accept === null || accept.trim() === "") return ["*/*"];
  const weight = (range: MediaRange) => (range.type === "*" ? 0 : 2) + (range.subtype === "*" ? 0 : 1);
  return parseAccept(accept)
    .map((range, order) => ({ range, order }))
    .filter(({ range }) => range.q > 0)
    .sort((a, b) => b.range.q - a.range.q || weight(b.range) - weight(a.range) || a.order - b.order)
    .map(({ range }) => `${range.type}/${range.subtype}`);
}
