/**
 * The handler contract: frank's Rack, in Web standards.
 * Any function of this shape can be served by `serve()` and mounted by `Builder`.
 */
export type Handler = (req: Request) => Response | Promise<Response>;

/** A middleware wraps the next handler and returns a new one (Rack's `use`). */
export type Middleware = (next: Handler) => Handler;

/** Anything with a `fetch` handler: a frank App, a Hono app, an h3 app... */
export interface FetchApp {
  fetch(req: Request): Response | Promise<Response>;
}

export type Servable = Handler | FetchApp;

/** Turns a servable object into a plain handler, keeping `this` for `{ fetch }` objects. */
export function toHandler(app: Servable): Handler {
  if (typeof app === "function") return app;
  if (app && typeof app.fetch === "function") return (req) => app.fetch(req);
  throw new TypeError("expected a handler function or an object with a fetch(request) method");
}
