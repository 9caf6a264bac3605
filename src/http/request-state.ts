/**
 * Per-request state for middleware, kept on the Request under symbols of its own.
 *
 * State is stored under a private symbol on the Request (a WeakMap entry per request costs
 * several times more, most of it in the garbage collector). A middleware that replaces the
 * request (method override builds a new one, since `method` is read-only) links the
 * new request to the one it came from, so state set by an outer middleware (the
 * session, the request id) is still found from the request an inner handler sees.
 */
// A registered symbol on the derived request, not a WeakMap: a WeakMap lookup on every request
// that was never derived costs more than the property, and an app bundled with its own copy of
// frank derives requests the launcher's copy must follow too.
const ORIGIN: unique symbol = Symbol.for("frank.requestOrigin");

type Derived = Request & { [ORIGIN]?: Request };

/** Records that `derived` stands for `original` from here inward; returns `derived`. */
export function deriveRequest(original: Request, derived: Request): Request {
  (derived as Derived)[ORIGIN] = original;
  return derived;
}

/** The request `derived` was made from, if it was. */
export function originOf(derived: Request): Request | undefined {
  return (derived as Derived)[ORIGIN];
}

/** The request a (possibly derived) request stands for: the one the server made. */
export function originalRequest(req: Request): Request {
  let current = req;
  for (let origin = originOf(current); origin !== undefined; origin = originOf(current)) current = origin;
  return current;
}

/** Per-request values whose lookups follow derived requests back to their origin. */
export class RequestState<T> {
  readonly #key = Symbol("frank.requestState");

  set(req: Request, value: T): void {
    (req as unknown as Record<symbol, T>)[this.#key] = value;
  }

  get(req: Request): T | undefined {
    for (let current: Request | undefined = req; current; current = originOf(current)) {
      const value = (current as unknown as Record<symbol, T | undefined>)[this.#key];
      if (value !== undefined) return value;
    }
    return undefined;
  }
}
