/**
 * The HTTP version of a request: only the server knows it (a Web Request has no field for it).
 * A server that can tell (frank's Node adapter) answers `HTTP_VERSION` on its requests, as it
 * answers `CLIENT_ADDRESS` (client-address.ts); requests derived from one are followed back to it.
 * Elsewhere (`app.request()` in tests, another server) it is undefined.
 */
import { originOf } from "./request-state.js";

/** Registered, so two copies of frank (an app's and the launcher's) read the same property. */
export const HTTP_VERSION: unique symbol = Symbol.for("frank.httpVersion");

/** "1.0", "1.1" or "2.0" when the server says; undefined otherwise. */
export function httpVersion(req: Request): string | undefined {
  for (let current: Request | undefined = req; current; current = originOf(current)) {
    const version = (current as Request & { [HTTP_VERSION]?: string })[HTTP_VERSION];
    if (version !== undefined) return version;
  }
  return undefined;
}
