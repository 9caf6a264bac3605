import type { FormLimits } from "../http/form-limits.js";
import { hostName } from "../http/host-name.js";
import { negotiateMediaType } from "../http/negotiate.js";
import type { Context } from "./context.js";
import type { OpenApiOperation } from "./openapi.js";
import type { RouteSchemas } from "./validation.js";

/** A compiled condition: true lets the route run, false moves on to the next route. */
export type Condition = (c: Context<any>) => boolean | Promise<boolean>;

/** Turns a condition's option value into a Condition (`app.condition(name, factory)`). */
export type ConditionFactory = (value: any) => Condition;

/** Sinatra's route conditions: `{ host, agent, provides }` and any registered with `app.condition()`. */
export interface Conditions {
  /** The request's host name (no port): exact string or RegExp. */
  host?: string | RegExp;
  /** The User-Agent; captures land in `c.params.agent`. */
  agent?: RegExp;
  /** Accept negotiation over these types (short names like "json" or full types); sets the content type. */
  provides?: string | readonly string[];
  /**
   * Not a condition: schemas the request must match once this route is chosen (validation.ts).
   * Routes only, not filters.
   */
  validate?: RouteSchemas;
  /** Not a condition: fields merged into this route's operation in `app.openapi()` (openapi.ts). */
  openapi?: OpenApiOperation;
  /** Not a condition: the largest request body this route takes (bytes or "2gb"), over the server's maxBodySize. */
  maxBodySize?: number | string;
  /**
   * Not a condition: this route's form limits over the app's `formLimits`, for `c.form()` and
   * `c.parts()` and for the urlencoded form read before the filters (see FormLimits).
   */
  formLimits?: FormLimits;
  [custom: string]: unknown;
}

/** Keys of the middle argument that describe a route instead of choosing it (the last three: `app.ws` routes). */
export const ROUTE_OPTIONS: ReadonlySet<string> = new Set([
  "validate",
  "openapi",
  "maxBodySize",
  "formLimits",
  "maxMessageSize",
  "pingInterval",
  "protocols",
]);

export const builtInConditions: Record<string, ConditionFactory> = {
  host:
    (pattern: string | RegExp): Condition =>
    (c) => {
      const host = hostName(c.req.headers.get("host") ?? "");
      return typeof pattern === "string" ? host === pattern.toLowerCase() : pattern.test(host);
    },

  agent:
    (pattern: RegExp): Condition =>
    (c) => {
      const match = pattern.exec(c.req.headers.get("user-agent") ?? "");
      if (!match) return false;
      (c.params as Record<string, unknown>).agent = match.slice(1);
      return true;
    },

  provides: (types: string | readonly string[]): Condition => {
    const names = typeof types === "string" ? [types] : [...types];
    for (const name of names) {
      if (!name.includes("/") && !/^[\w.+-]+$/.test(name))
        throw new TypeError(`provides: "${name}" is not a media type`);
    }
    // Resolved at the first request: a name may be one the app registers later with app.mimeType().
    let offered: string[] | undefined;
    return (c) => {
      offered ??= names.map((name) => {
        const full = c.mimeType(name);
        if (!full) throw new TypeError(`provides: unknown media type "${name}"; register it with app.mimeType()`);
        return full;
      });
      const chosen = negotiateMediaType(c.req.headers.get("accept"), offered);
      if (!chosen) return false;
      c.type(chosen);
      return true;
    };
  },
};

export function compileConditions(
  conditions: Conditions | undefined,
  factories: ReadonlyMap<string, ConditionFactory>,
): Condition[] {
  if (!conditions) return [];
  return Object.entries(conditions)
    .filter(([name, value]) => value !== undefined && !ROUTE_OPTIONS.has(name))
    .map(([name, value]) => {
      const factory = factories.get(name) ?? builtInConditions[name];
      if (!factory)
        throw new TypeError(`Unknown route condition "${name}"; register it with app.condition("${name}", factory)`);
      return factory(value);
    });
}

/** True when every condition holds, checked in order up to the first false; synchronous unless a condition returns a promise. */
export function conditionsHold(
  conditions: readonly Condition[],
  c: Context<any>,
  from = 0,
): boolean | Promise<boolean> {
  for (let i = from; i < conditions.length; i++) {
    const held = conditions[i](c);
    if (held instanceof Promise) return held.then((ok) => (ok ? conditionsHold(conditions, c, i + 1) : false));
    if (!held) return false;
  }
  return true;
}
