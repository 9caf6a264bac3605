import { deriveRequest } from "./request-state.js";

/**
 * The same request at another URL: method, headers, body stream and abort signal are kept.
 * (`new Request(url, req)` would not pass a streaming body through without `duplex`.)
 * State that middleware keyed by the original request (session, request id) is still found.
 */
export function withUrl(req: Request, url: URL | string): Request {
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method,
    headers: req.headers,
    signal: req.signal,
    redirect: req.redirect,
  };
  if (req.body !== null) {
    init.body = req.body;
    init.duplex = "half";
  }
  return deriveRequest(req, new Request(url, init));
}
