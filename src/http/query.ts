import type QsModule from "qs";
import { HttpError } from "./http-error.js";
import { onFirstUse } from "./on-first-use.js";

// qs and its dependencies take about 15 ms to load; most apps start before any query string arrives.
const qs = onFirstUse<typeof QsModule>("qs");

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
  assertConsistentShapes(input);
  try {
    return qs().parse(input, {
      depth: QUERY_LIMITS.depth,
      strictDepth: true,
      parameterLimit: QUERY_LIMITS.parameters,
      arrayLimit: QUERY_LIMITS.arrayLength,
      throwOnLimitExceeded: true,
      duplicates: "last",
      allowPrototypes: false,
    }) as Query;
  } catch (error) {
    throw new HttpError(400, `Invalid query: ${(error as Error).message}`, { cause: error });
  }
}

function assertConsistentShapes(input: string): void {
  // The shape of each key path: "value" for a=1, "array" for a[]=, "object" for a[b]=.
  const shapes = new Map<string, string>();
  for (const pair of input.split("&")) {
    const eq = pair.indexOf("=");
    let key = eq < 0 ? pair : pair.slice(0, eq);
    if (key.includes("%")) key = safeDecode(key);
    const segments = key.match(/^[^[]*|\[[^\]]*\]/g) ?? [key];
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
    }
  }
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
