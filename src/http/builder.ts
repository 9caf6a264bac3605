import { compose } from "./compose.js";
import { toHandler, type Handler, type Middleware, type Servable } from "./types.js";
import { derivedRequest } from "./derived-request.js";
import { mountedAt } from "./mount-path.js";

interface Mount {
  prefix: string;
  handler: Handler;
}

/**
 * Rack::Builder in Web standards: `use` middleware, `map` a path prefix to any handler
 * (the prefix is stripped from the URL the inner handler sees and kept as its mount path, Rack's
 * SCRIPT_NAME), `run` the fallback.
 * `builder.fetch` is itself a handler, so builders nest.
 */
export class Builder {
  readonly #middleware: Middleware[] = [];
  readonly #mounts: Mount[] = [];
  #app: Handler | undefined;
  #built: Handler | undefined;

  use(middleware: Middleware): this {
    this.#middleware.push(middleware);
    this.#built = undefined;
    return this;
  }

  map(prefix: string, app: Servable): this {
    const normalized = "/" + prefix.replace(/^\/+|\/+$/g, "");
    this.#mounts.push({ prefix: normalized === "/" ? "" : normalized, handler: toHandler(app) });
    // Longest prefix first, as Rack::URLMap does, so /api/v2 wins over /api.
    this.#mounts.sort((a, b) => b.prefix.length - a.prefix.length);
    this.#built = undefined;
    return this;
  }

  run(app: Servable): this {
    this.#app = toHandler(app);
    this.#built = undefined;
    return this;
  }

  /** The composed handler; built once, rebuilt only after the builder changes. */
  readonly fetch: Handler = (req) => {
    this.#built ??= compose(...this.#middleware)(this.#dispatch);
    return this.#built(req);
  };

  readonly #dispatch: Handler = (req) => {
    if (this.#mounts.length > 0) {
      const url = new URL(req.url);
      for (const { prefix, handler } of this.#mounts) {
        const path = url.pathname;
        if (prefix === "" || path === prefix || path.startsWith(prefix + "/")) {
          url.pathname = path.slice(prefix.length) || "/";
          const inner = derivedRequest(req, { url });
          mountedAt(req, inner, prefix); // the app builds its own URLs with it (Rack's SCRIPT_NAME)
          return handler(inner);
        }
      }
    }
    if (this.#app) return this.#app(req);
    return new Response("Not Found", {
      status: 404,
      headers: { "content-type": "text/plain;charset=utf-8", "x-cascade": "pass" },
    });
  };
}
