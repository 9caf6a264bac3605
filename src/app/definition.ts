// What an App is made of, as `dispatch.ts` reads it: routes, filters, error handlers, middleware
// and helpers, in the order they were defined.
import type { Middleware } from "../http/types.js";
import type { RouteParams } from "../router/pattern.js";
import type { Router } from "../router/router.js";
import type { Condition, Conditions } from "./conditions.js";
import type { Context } from "./context.js";
import type { Validation } from "./validation.js";

/** The helper methods of an app that declared none (`{}` intersects with Context to nothing). */
// biome-ignore lint/complexity/noBannedTypes: `{}` is the identity of `&`, which is what "no helpers" must be
export type NoHelpers = {};

/** A route's handler; `V` is what its `validate` schemas give `c.valid`. */
export type RouteHandler<P, H = NoHelpers, V = NoHelpers> = (c: Context<P> & H & { readonly valid: V }) => unknown;
export type ErrorHandler<H = NoHelpers> = (c: Context<RouteParams> & H, error: any) => unknown;
export type AnyErrorClass = abstract new (...args: any[]) => unknown;
export type ErrorKey = AnyErrorClass | number | readonly [number, number];

export interface RouteEntry {
  method: string;
  pattern: string | RegExp;
  /** The pattern as text, as metrics and traces name the route (`/hello/:name`). */
  label: string;
  conditions: Condition[];
  conditionSource: Conditions | undefined;
  handler: RouteHandler<any, any>;
  /** The route's `validate` schemas, checked after its conditions and before its handler. */
  validation: Validation | undefined;
  /** The HEAD twin a `get` adds; not listed in the route table. */
  implicit: boolean;
}

export interface Filter {
  router: Router<Filter> | undefined; // a filter with a pattern matches through its own one-route router
  conditions: Condition[];
  handler: RouteHandler<any, any>;
}

export interface ErrorEntry {
  key: ErrorKey | undefined; // undefined: every error (Sinatra's `error do … end`)
  handler: ErrorHandler<any>;
}

export interface Definition {
  routes: readonly RouteEntry[];
  before: readonly Filter[];
  after: readonly Filter[];
  errors: readonly ErrorEntry[];
  middleware: readonly Middleware[];
  helpers: Record<string, unknown>;
}
