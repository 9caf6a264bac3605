/**
 * The raw (still percent-encoded) path and query of a request, cut from `req.url` by string
 * search: `new URL()` on every request is the costliest line of a small handler.
 */
export function splitRequestUrl(url: string): { path: string; search: string } {
  // req.url is absolute ("http://host:port/p?q"): the path starts at the first "/" after "//".
  const authority = url.indexOf("//");
  let start = url.indexOf("/", authority < 0 ? 0 : authority + 2);
  if (start < 0) start = url.length;
  const query = url.indexOf("?", start);
  const hash = url.indexOf("#", start);
  const end = query >= 0 ? query : hash >= 0 ? hash : url.length;
  const path = start === end ? "/" : url.slice(start, end);
  const search = query >= 0 ? url.slice(query + 1, hash > query ? hash : url.length) : "";
  return { path, search };
}
