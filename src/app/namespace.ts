/**
 * sinatra-contrib's `namespace`: routes, filters and error handlers under a path prefix.
 * Everything is defined on the App itself with the prefix joined to the pattern, the
 * namespace's conditions joined to each route's, its filters limited to paths under the prefix,
 * and its error handlers (`notFound` too) put before the App's for those paths.
 */
import type { PathParams } from "../router/params.js";
import type { RouteParams } from "../router/pattern.js";
import type { Conditions } from "./conditions.js";
import type { ErrorHandler, ErrorKey, RouteHandler } from "./definition.js";

/** What a namespace needs of its App (kept narrow: app.ts builds it over its private parts). */
export interface NamespaceTarget {
  route(method: string, pattern: string, rest: unknown[]): unknown;
  filter(kind: "before" | "after", patterns: string[], rest: unknown[], scopeOnly: boolean): void;
  error(key: ErrorKey | undefined, handler: ErrorHandler<any, any>, scope: string[]): void;
}

type NamespaceVerb<V extends object, H extends object> = {
  <P extends string>(pattern: P, handler: RouteHandler<PathParams<P>, H, V>): Namespace<V, H>;
  <P extends string>(pattern: P, conditions: Conditions, handler: RouteHandler<PathParams<P>, H, V>): Namespace<V, H>;
};

export class Namespace<V extends object, H extends object> {
  readonly prefix: string;
  readonly #target: NamespaceTarget;
  readonly #conditions: Conditions;

  readonly get: NamespaceVerb<V, H> = (...args: unknown[]) => this.#route("GET", args);
  readonly post: NamespaceVerb<V, H> = (...args: unknown[]) => this.#route("POST", args);
  readonly put: NamespaceVerb<V, H> = (...args: unknown[]) => this.#route("PUT", args);
  readonly patch: NamespaceVerb<V, H> = (...args: unknown[]) => this.#route("PATCH", args);
  readonly delete: NamespaceVerb<V, H> = (...args: unknown[]) => this.#route("DELETE", args);
  readonly options: NamespaceVerb<V, H> = (...args: unknown[]) => this.#route("OPTIONS", args);
  readonly head: NamespaceVerb<V, H> = (...args: unknown[]) => this.#route("HEAD", args);

  constructor(target: NamespaceTarget, prefix: string, conditions: Conditions) {
    if (typeof prefix !== "string" || !prefix.startsWith("/")) {
      throw new TypeError(`namespace: the prefix must be a path starting with "/", got ${String(prefix)}`);
    }
    this.#target = target;
    this.prefix = prefix === "/" ? "" : prefix.replace(/\/$/, "");
    this.#conditions = conditions;
  }

  /** Where the namespace's filters and error handlers apply: the prefix itself and every path below it. */
  #scope(): string[] {
    return this.prefix === "" ? ["*"] : [this.prefix, `${this.prefix}/*`];
  }

  #join(pattern: unknown): string {
    if (typeof pattern !== "string") {
      throw new TypeError(`namespace ${this.prefix}: patterns inside a namespace are strings, got ${String(pattern)}`);
    }
    return this.prefix + pattern;
  }

  /** The handler, with the namespace's conditions joined to the route's own. */
  #withConditions(rest: unknown[]): unknown[] {
    if (Object.keys(this.#conditions).length === 0) return rest;
    if (rest.length === 1) return [{ ...this.#conditions }, rest[0]];
    return [{ ...this.#conditions, ...(rest[0] as Conditions) }, rest[1]];
  }

  #route(method: string, [pattern, ...rest]: unknown[]): this {
    this.#target.route(method, this.#join(pattern), this.#withConditions(rest));
    return this;
  }

  /** A route for any method name, under the prefix. */
  route(method: string, pattern: string, ...rest: unknown[]): this {
    return this.#route(method.toUpperCase(), [pattern, ...rest]);
  }

  /** A before filter for paths under the prefix (or under prefix + pattern). */
  before(handler: RouteHandler<RouteParams, H, V>): this;
  before<P extends string>(pattern: P, handler: RouteHandler<PathParams<P>, H, V>): this;
  before<P extends string>(pattern: P, conditions: Conditions, handler: RouteHandler<PathParams<P>, H, V>): this;
  before(...args: unknown[]): this {
    return this.#filter("before", args);
  }

  after(handler: RouteHandler<RouteParams, H, V>): this;
  after<P extends string>(pattern: P, handler: RouteHandler<PathParams<P>, H, V>): this;
  after<P extends string>(pattern: P, conditions: Conditions, handler: RouteHandler<PathParams<P>, H, V>): this;
  after(...args: unknown[]): this {
    return this.#filter("after", args);
  }

  #filter(kind: "before" | "after", args: unknown[]): this {
    if (typeof args[0] === "string") {
      const [pattern, ...rest] = args;
      this.#target.filter(kind, [this.#join(pattern)], this.#withConditions(rest), false);
    } else this.#target.filter(kind, this.#scope(), this.#withConditions(args), true);
    return this;
  }

  /** Error handlers for requests under the prefix, tried before the App's (see App.error). */
  error(handler: ErrorHandler<H, V>): this;
  error(key: ErrorKey, handler: ErrorHandler<H, V>): this;
  error(keyOrHandler: ErrorKey | ErrorHandler<H, V>, handler?: ErrorHandler<H, V>): this {
    if (handler === undefined) this.#target.error(undefined, keyOrHandler as ErrorHandler<H, V>, this.#scope());
    else this.#target.error(keyOrHandler as ErrorKey, handler, this.#scope());
    return this;
  }

  /** A 404 under the prefix (no route there, `c.notFound()`, `halt(404)`). */
  notFound(handler: ErrorHandler<H, V>): this {
    return this.error(404, handler);
  }

  /** A namespace inside this one: the prefixes and conditions add up. */
  namespace(prefix: string, define: (ns: Namespace<V, H>) => void): this;
  namespace(prefix: string, conditions: Conditions, define: (ns: Namespace<V, H>) => void): this;
  namespace(prefix: string, ...rest: unknown[]): this {
    const define = rest.pop() as (ns: Namespace<V, H>) => void;
    const conditions = { ...this.#conditions, ...((rest[0] as Conditions | undefined) ?? {}) };
    define(new Namespace<V, H>(this.#target, this.#join(prefix), conditions));
    return this;
  }
}
