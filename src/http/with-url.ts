/**
 * The same request at another URL: method, headers, body stream and abort signal are kept.
 * (`new Request(url, req)` would not pass a streaming body through without `duplex`.)
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
  return new Request(url, init);
}
