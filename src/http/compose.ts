import type { Handler, Middleware } from "./types.js";

/**
 * compose(a, b, c)(handler) === a(b(c(handler))): the first middleware is the outermost,
 * so it sees the request first and the response last, as in Rack's `use` order.
 */
export function compose(...middleware: Middleware[]): Middleware {
  return (next) => middleware.reduceRight<Handler>((inner, wrap) => wrap(inner), next);
}
