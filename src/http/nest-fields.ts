// Form fields nested by their names, with the shapes of query strings (Rack's, as qs reads
// them): `user[name]` nests, `tags[]` appends, `rows[2]` is an index (up to 100), a repeated
// plain name keeps the last value. Every object is null-prototype, so names such as
// `__proto__`, `constructor` or `toString` are fields like any other. Linear in the input.
import { HttpError } from "./http-error.js";

/** A nested form value: a string, a file (or what the caller puts at a leaf), or a container of them. */
export type FieldValue<Leaf = never> = string | Leaf | FieldValue<Leaf>[] | { [name: string]: FieldValue<Leaf> };
export type Fields<Leaf = never> = Record<string, FieldValue<Leaf>>;

/** Nesting caps: as for query strings (http/query.ts). */
export const NESTING_LIMITS = { depth: 5, arrayIndex: 100 } as const;

type Container = Record<string, unknown> | unknown[];

/**
 * `user[address][city]` → ["user", "address", "city"]; `tags[]` → ["tags", ""]. A name whose
 * brackets do not pair up (`a[b`, `a[b]c`, `[a]`) is one plain name. One pass over the name.
 */
export function keySegments(key: string, maxSegments = Number.POSITIVE_INFINITY): string[] {
  let open = key.indexOf("[");
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  while (open < key.length) {
    // Deeper than anyone may nest: the caller refuses it, so the rest need not be split.
    if (segments.length > maxSegments) return segments;
    if (key.charCodeAt(open) !== 91 /* [ */) return [key];
    const close = key.indexOf("]", open + 1);
    if (close < 0) return [key];
    const inner = key.indexOf("[", open + 1);
    if (inner >= 0 && inner < close) return [key];
    segments.push(key.slice(open + 1, close));
    open = close + 1;
  }
  return segments;
}

function isContainer(value: unknown): value is Container {
  return Array.isArray(value) || (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === null);
}

function arrayIndex(segment: string): number | undefined {
  if (segment.length === 0 || segment.length > 3 || !/^\d+$/.test(segment)) return undefined;
  const index = Number(segment);
  return index <= NESTING_LIMITS.arrayIndex ? index : undefined;
}

function shapeName(value: unknown): string {
  return Array.isArray(value) ? "an array" : isContainer(value) ? "an object" : "a value";
}

function conflict(segments: string[], upTo: number, was: unknown, wanted: string): HttpError {
  const path =
    segments[0] +
    segments
      .slice(1, upTo + 1)
      .map((segment) => `[${segment}]`)
      .join("");
  return new HttpError(400, `Invalid form: "${path}" is used both as ${shapeName(was)} and as ${wanted}`);
}

/** The container a non-final segment leads into: an array when the next segment is `[]` or an index. */
function emptyFor(nextSegment: string): Container {
  return nextSegment === "" || arrayIndex(nextSegment) !== undefined ? [] : Object.create(null);
}

function wantedShape(nextSegment: string | undefined): string {
  if (nextSegment === undefined) return "a value";
  return nextSegment === "" || arrayIndex(nextSegment) !== undefined ? "an array" : "an object";
}

function fits(existing: unknown, nextSegment: string): boolean {
  return Array.isArray(emptyFor(nextSegment))
    ? Array.isArray(existing)
    : isContainer(existing) && !Array.isArray(existing);
}

/** Sparse indices (`rows[5]` alone) leave holes; qs and Rack give the values in index order, packed. */
function compact(container: Container): void {
  if (Array.isArray(container)) {
    let packed = 0;
    for (let i = 0; i < container.length; i++) {
      if (!(i in container)) continue;
      const value = container[i];
      if (isContainer(value)) compact(value);
      container[packed++] = value;
    }
    container.length = packed;
    return;
  }
  for (const key in container) {
    const value = container[key];
    if (isContainer(value)) compact(value);
  }
}

/** Nests `[name, value]` pairs by their names; a name used as two shapes, or nested too deep, is a 400. */
export function nestFields<Leaf = never>(entries: Iterable<readonly [string, string | Leaf]>): Fields<Leaf> {
  const root: Record<string, unknown> = Object.create(null);
  let sparse = false;
  for (const [key, value] of entries) {
    const segments = keySegments(key, NESTING_LIMITS.depth + 1);
    if (segments.length - 1 > NESTING_LIMITS.depth) {
      throw new HttpError(
        400,
        `Invalid form: "${key.slice(0, 100)}" is nested deeper than ${NESTING_LIMITS.depth} levels`,
      );
    }
    let container: Container = root;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      const next = segments[i + 1];
      const last = next === undefined;
      if (Array.isArray(container)) {
        const index = arrayIndex(segment);
        if (segment === "") {
          if (last) {
            container.push(value);
            break;
          }
          // Rack: `items[][name]` continues the last item until it already has that key.
          const tail: unknown = container[container.length - 1];
          if (fits(tail, next) && !(isContainer(tail) && !Array.isArray(tail) && next in tail)) {
            container = tail as Container;
          } else {
            const fresh = emptyFor(next);
            container.push(fresh);
            container = fresh;
          }
          continue;
        }
        if (index === undefined) throw conflict(segments, i - 1, container, "an object");
        sparse ||= index !== container.length;
        if (last) {
          if (isContainer(container[index])) throw conflict(segments, i, container[index], "a value");
          container[index] = value;
          break;
        }
        const existing: unknown = container[index];
        if (existing === undefined) container = container[index] = emptyFor(next);
        else if (fits(existing, next)) container = existing as Container;
        else throw conflict(segments, i, existing, wantedShape(next));
        continue;
      }
      const existing: unknown = Object.hasOwn(container, segment) ? container[segment] : undefined;
      if (last) {
        if (isContainer(existing)) throw conflict(segments, i, existing, "a value");
        container[segment] = value;
        break;
      }
      if (existing === undefined) container = container[segment] = emptyFor(next);
      else if (fits(existing, next)) container = existing as Container;
      else throw conflict(segments, i, existing, wantedShape(next));
    }
  }
  if (sparse) compact(root);
  return root as Fields<Leaf>;
}
