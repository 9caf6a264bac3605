import type * as QsModule from "qs-esm";
import { HttpError } from "./http-error.js";
import { onFirstUse } from "./on-first-use.js";

// qs-esm: qs's parser without its polyfill dependencies (one package instead of twenty). Loaded on
// first use: most apps start before any query string arrives.
const qs = onFirstUse<typeof QsModule>("qs-esm");

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type Query = Record<string, QueryValue>;

/** Caps that keep a hostile query string from costing memory or time. */
export const QUERY_LIMITS = { depth: 5, parameters: 1000, arrayLength: 100 } as const;

/**
 * Parses a query string or urlencoded form with Rack's shapes: `a[b]=1` nests, `a[]=x` is an
 * array, a repeated plain key keeps the last value. A key used as two shapes (`a=1&a[b]=2`) and
 * anything over the caps is a 400, as Rack's ParameterTypeError is for Sinatra.
 */
export function parseQuery(input: string): Query {
  if (input === "") return {};
  const checked = checkedPairs(input);
  try {
    return qs().parse(checked, {
      depth: QUERY_LIMITS.depth,
      parameterLimit: QUERY_LIMITS.parameters,
      arrayLimit: QUERY_LIMITS.arrayLength,
      allowPrototypes: false,
    }) as Query;
  } catch (error) {
    throw new HttpError(400, `Invalid query: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * One pass over the keys before qs sees them: a key used as two shapes, and anything over the
 * caps (more parameters, deeper nesting or longer arrays than QUERY_LIMITS allow), is a 400 here
 * rather than a silently cut or reshaped result from qs. A repeated key without `[]` keeps its
 * last value, as in Rack: the earlier pairs are left out of what qs parses (qs would combine
 * them into an array). Linear in the input.
 */
function checkedPairs(input: string): string {
  // The shape of each key path: "value" for a=1, "array" for a[]=, "object" for a[b]=.
  const shapes = new Map<string, string>();
  const arrayLengths = new Map<string, number>();
  /** Where each key without `[]` was last seen. */
  const lastValue = new Map<string, number>();
  let repeated = false;
  const pairs = input.split("&", QUERY_LIMITS.parameters + 1);
  if (pairs.length > QUERY_LIMITS.parameters) {
    throw new HttpError(400, `Invalid query: more than ${QUERY_LIMITS.parameters} parameters`);
  }
  for (let index = 0; index < pairs.length; index++) {
    const pair = pairs[index];
    const eq = pair.indexOf("=");
    let key = eq < 0 ? pair : pair.slice(0, eq);
    if (key.includes("%")) key = safeDecode(key);
    const segments = keySegments(key);
    let path = "";
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      path += segment;
      const next = segments[i + 1];
      const shape = next === undefined ? "value" : next === "[]" ? "array" : "object";
      const seen = shapes.get(path);
      if (seen === undefined) shapes.set(path, shape);
      else if (seen !== shape) {
        throw new HttpError(400, `Invalid query: "${path}" is used both as ${article(seen)} and as ${article(shape)}`);
      }
      if (shape === "array" && i + 2 === segments.length) {
        const length = (arrayLengths.get(path) ?? 0) + 1;
        if (length > QUERY_LIMITS.arrayLength) {
          throw new HttpError(400, `Invalid query: "${path}" has more than ${QUERY_LIMITS.arrayLength} elements`);
        }
        arrayLengths.set(path, length);
      }
    }
    if (!segments.includes("[]")) {
      repeated ||= lastValue.has(path);
      lastValue.set(path, index);
    }
  }
  if (!repeated) return input;
  const keyOf = (pair: string) => {
    const eq = pair.indexOf("=");
    const key = eq < 0 ? pair : pair.slice(0, eq);
    return key.includes("%") ? safeDecode(key) : key;
  };
  return pairs
    .filter((pair, index) => {
      const last = lastValue.get(keySegments(keyOf(pair)).join(""));
      return last === undefined || last === index;
    })
    .join("&");
}

/**
 * A key's segments as qs-esm splits them, in one left-to-right pass: the name before the first
 * bracket group, then each group `[...]` with no bracket inside (`a[b][c[]]` is "a", "[b]", "[]";
 * `a[[[` has no group and is a plain name). qs-esm finds the groups with a regular expression
 * that cannot backtrack; the check above must not backtrack either. More groups than the depth
 * limit is a 400 (qs-esm would fold the rest into one key).
 */
export function keySegments(key: string): string[] {
  const segments: string[] = [];
  let open = -1;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code === 91 /* "[" */) open = i;
    else if (code === 93 /* "]" */ && open !== -1) {
      if (segments.length === 0) segments.push(key.slice(0, open));
      else if (segments.length > QUERY_LIMITS.depth) {
        throw new HttpError(
          400,
          `Invalid query: "${segments[0]}" is nested more than ${QUERY_LIMITS.depth} levels deep`,
        );
      }
      segments.push(key.slice(open, i + 1));
      open = -1;
    }
  }
  return segments.length === 0 ? [key] : segments;
}

function article(shape: string): string {
  return shape === "value" ? "a value" : shape === "array" ? "an array" : "an object";
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw new HttpError(400, "Invalid query: malformed percent-encoding");
  }
}
