/**
 * The raw (still percent-encoded) path and query of a request, cut from `req.url` by string
 * search: `new URL()` on every request is the costliest line of a small handler.
 */
export function splitRequestUrl(url: string): { path: string; search: string } {
  const start = pathStart(url);
  const query = url.indexOf("?", start);
  const hash = url.indexOf("#", start);
  const end = query >= 0 ? query : hash >= 0 ? hash : url.length;
  const path = start === end ? "/" : url.slice(start, end);
  const search = query >= 0 ? url.slice(query + 1, hash > query ? hash : url.length) : "";
  return { path, search };
}

/** The raw path alone (what an access log shows), without the object splitRequestUrl makes. */
export function requestPath(url: string): string {
  const start = pathStart(url);
  let end = url.indexOf("?", start);
  if (end < 0) end = url.indexOf("#", start);
  if (end < 0) end = url.length;
  return start === end ? "/" : url.slice(start, end);
}

/** Where the path of an absolute request URL ("http://host:port/p?q") starts: the first "/" after "//". */
export function pathStart(url: string): number {
  const authority = url.indexOf("//");
  const start = url.indexOf("/", authority < 0 ? 0 : authority + 2);
  return start < 0 ? url.length : start;
}

/** Is the path of `url` (starting at `start`, see pathStart) exactly `path`? A query string may follow. */
export function pathIs(url: string, start: number, path: string): boolean {
  if (!url.startsWith(path, start)) return false;
  const after = start + path.length;
  return after === url.length || url.charCodeAt(after) === 63 /* "?" */;
}
