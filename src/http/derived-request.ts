import { deriveRequest } from "./request-state.js";

export interface RequestChanges {
  url?: URL | string;
  method?: string;
  /** A replacement body stream (e.g. one that counts bytes); default: the request's own. */
  body?: ReadableStream<Uint8Array> | null;
}

/**
 * The same request with its URL, method or body changed; headers, body stream and abort signal
 * are kept (`new Request(url, req)` would not pass a streaming body through without `duplex`).
 * State that middleware keyed by the original request (session, request id) is still found.
 */
export function derivedRequest(req: Request, changes: RequestChanges): Request {
  const init: RequestInit & { duplex?: "half" } = {
    method: changes.method ?? req.method,
    headers: req.headers,
    signal: req.signal,
    redirect: req.redirect,
  };
  const body = changes.body === undefined ? req.body : changes.body;
  if (body !== null) {
    init.body = body;
    init.duplex = "half";
  }
  return deriveRequest(req, new Request(changes.url ?? req.url, init));
}
