// Which error handlers answer an error, in the order they are tried (Sinatra's error_block!):
//
//   handlers for the error's class, then for each parent class (most specific first); for a
//     missing route (NotFound) that includes `error(404, h)`/`notFound(h)`, as Sinatra registers them
//   handlers for the status (`error(404, h)`, `error([500, 599], h)`)
//   handlers for every error (`error(h)`), except for a request no route matched
//
// At each step a namespace's handlers (for requests under its prefix) come before the app's, and
// the last one defined comes first, so `error(403, h)` then `error([400, 510], h)` answers a 403
// with the range's handler, as Sinatra does. A handler that returns nothing (and sets no body)
// hands the error on to the next one; when none answers, the default page does.
import type { CompiledErrorEntry as ErrorEntry, ErrorHandler } from "./definition.js";
import { NotFound } from "./errors.js";

const NONE: readonly ErrorHandler<any, any>[] = [];

function inScope(entry: ErrorEntry, path: string): boolean {
  return entry.scope === undefined || !entry.scope.match("*", path).next().done;
}

/** Entries that pass `wanted`, namespaced ones first, each group last-defined first. */
function pick(
  entries: readonly ErrorEntry[],
  path: string,
  wanted: (entry: ErrorEntry) => boolean,
  into: ErrorHandler<any, any>[],
): void {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry.scope !== undefined && wanted(entry) && inScope(entry, path)) into.push(entry.handler);
  }
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry.scope === undefined && wanted(entry)) into.push(entry.handler);
  }
}

function matchesStatus(entry: ErrorEntry, status: number): boolean {
  const key = entry.key;
  return typeof key === "number" ? key === status : Array.isArray(key) && status >= key[0] && status <= key[1];
}

/** The handlers to try for a thrown error (or a request no route matched), in order. */
export function errorHandlersFor(
  entries: readonly ErrorEntry[],
  error: unknown,
  status: number,
  path: string,
): readonly ErrorHandler<any, any>[] {
  if (entries.length === 0) return NONE;
  const handlers: ErrorHandler<any, any>[] = [];
  if (typeof error === "object" && error !== null) {
    for (
      let proto = Object.getPrototypeOf(error);
      proto && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto)
    ) {
      // As Sinatra's `error 404` also registers for NotFound: a missing route reaches `notFound`
      // handlers before the handlers of status ranges.
      const notFound = proto === NotFound.prototype;
      pick(
        entries,
        path,
        (entry) =>
          (typeof entry.key === "function" && entry.key.prototype === proto) || (notFound && entry.key === 404),
        handlers,
      );
    }
  }
  pick(entries, path, (entry) => matchesStatus(entry, status), handlers);
  if (!(error instanceof NotFound)) pick(entries, path, (entry) => entry.key === undefined, handlers);
  return handlers;
}

/** The handlers for a status a route answered without an error (`halt(403)`, a 404 it returned). */
export function statusHandlersFor(
  entries: readonly ErrorEntry[],
  status: number,
  path: string,
): readonly ErrorHandler<any, any>[] {
  // Runs after every request: no array unless some handler is for this status.
  if (!entries.some((entry) => matchesStatus(entry, status))) return NONE;
  const handlers: ErrorHandler<any, any>[] = [];
  pick(entries, path, (entry) => matchesStatus(entry, status), handlers);
  return handlers;
}
