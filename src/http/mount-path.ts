/**
 * Rack's SCRIPT_NAME: the path prefix under which a handler is mounted (`Builder.map("/a", app)`
 * strips "/a" from the URL the app sees). An app needs it back to build its own URLs and
 * redirects (`c.to("/")` is "/a/" there).
 */
import { RequestState } from "./request-state.js";

const mountPaths = new RequestState<string>();

/** The prefix `req` was mounted under ("" at the top); nested mounts add up. */
export function mountPath(req: Request): string {
  return mountPaths.get(req) ?? "";
}

/** Records that `inner` is `outer` with `prefix` stripped from its path. */
export function mountedAt(outer: Request, inner: Request, prefix: string): void {
  mountPaths.set(inner, mountPath(outer) + prefix);
}
