/**
 * The address of the client's socket: only the server knows it, and a Web Request has no field
 * for it. A server that can tell (frank's Node adapter) answers `CLIENT_ADDRESS` on its requests;
 * middleware reads it with `clientAddressOf`, which follows requests derived from the original
 * (method override makes one). Behind a proxy this is the proxy's address, not the client's.
 */
import { originOf } from "./request-state.js";

/** The socket's remote address, on requests whose server knows it. */
export const CLIENT_ADDRESS: unique symbol = Symbol.for("frank.clientAddress");

export function clientAddressOf(req: Request): string | undefined {
  for (let current: Request | undefined = req; current; current = originOf(current)) {
    const address = (current as Request & { [CLIENT_ADDRESS]?: string })[CLIENT_ADDRESS];
    if (address !== undefined) return address;
  }
  return undefined;
}
