/** Small helpers for middleware that add headers to responses they did not create. */

/**
 * Lets a middleware change headers of any response. Responses from fetch() or
 * Response.redirect() have immutable headers; those are copied (the body stream is
 * passed on, not read).
 */
export function editHeaders(res: Response, edit: (headers: Headers) => void): Response {
  try {
    edit(res.headers);
    return res;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const copy = new Response(res.body, { status: res.status, statusText: res.statusText, headers: res.headers });
    edit(copy.headers);
    return copy;
  }
}

/** Adds a token to a Vary header unless it is already there (or Vary is `*`). */
export function addVary(headers: Headers, token: string): void {
  const current = headers.get("vary");
  if (!current) {
    headers.set("vary", token);
    return;
  }
  const tokens = current.split(",").map((t) => t.trim().toLowerCase());
  if (tokens.includes("*") || tokens.includes(token.toLowerCase())) return;
  headers.set("vary", `${current}, ${token}`);
}
