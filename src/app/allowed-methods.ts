// The methods a path has routes for, for the `methodNotAllowed` setting: a 405 with `Allow` when
// the request's method is not among them, and OPTIONS answered with them (RFC 9110 §9.3.7, §15.5.6).
// Asked only after no route matched, so the setting costs nothing on requests that find a route.
import type { Router } from "../router/router.js";

export class AllowedMethods<T> {
  readonly #router: Router<T>;
  readonly #methods: readonly string[];

  constructor(router: Router<T>, methods: Iterable<string>) {
    this.#router = router;
    this.#methods = [...new Set(methods)];
  }

  /** The methods with a route matching `path` (conditions aside), OPTIONS included when any; empty when none. */
  for(path: string): string[] {
    const allowed: string[] = [];
    for (const method of this.#methods) {
      try {
        if (!this.#router.match(method, path).next().done) allowed.push(method);
      } catch {
        // A capture with a malformed escape: that route cannot serve this path.
      }
    }
    if (allowed.length > 0 && !allowed.includes("OPTIONS")) allowed.push("OPTIONS");
    return allowed;
  }
}
