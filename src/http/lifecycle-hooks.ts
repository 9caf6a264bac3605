// How a server runs an app's start and stop hooks (Sinatra's on_start and on_stop) without
// importing the app's class: the app has methods under these keys. Registered symbols, so a frank
// CLI serving an app that brought its own copy of frank still finds them; as symbols, they are
// not part of App's public API.

/** Runs the app's start hooks: the server calls it once it listens. */
export const runStartHooks: unique symbol = Symbol.for("frank.runStartHooks");
/** Runs the app's stop hooks: the server calls it while it shuts down. */
export const runStopHooks: unique symbol = Symbol.for("frank.runStopHooks");

/** True when the app has WebSocket routes: the server loads `ws` before it listens. */
export const usesWebSockets: unique symbol = Symbol.for("frank.usesWebSockets");
/** The largest body a route matching a request accepts, when a route raises the server's limit. */
export const maxBodySizeFor: unique symbol = Symbol.for("frank.maxBodySizeFor");

export interface LifecycleHooks {
  [runStartHooks](): Promise<void>;
  [runStopHooks](): Promise<void>;
}
