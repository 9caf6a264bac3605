/**
 * Turning a URL path into a path inside a folder, refusing everything that could name a file
 * outside it. The raw path is split on "/" BEFORE decoding, every segment is decoded exactly
 * once, and a decoded segment that could change the meaning of the path is refused.
 */
import { resolve, sep } from "node:path";

export type UrlPathResolution =
  /** `relative` uses "/" separators and has no leading slash; "" is the folder itself. */
  | { kind: "path"; relative: string; directory: boolean }
  /** Malformed: bad percent-encoding (including overlong UTF-8), NUL bytes, absurd length. */
  | { kind: "bad-request"; reason: string }
  /** Well-formed, but never a static file: dot segments, encoded separators, dotfiles, empty segments. */
  | { kind: "not-static"; reason: string };

const MAX_PATH_LENGTH = 4096;

/** Decodes one segment; undefined when the encoding is malformed (decodeURIComponent rejects overlong UTF-8). */
function decodeSegment(segment: string): string | undefined {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Resolves a URL pathname (as it appears in the request line, without the query) to a path
 * relative to the public folder. Only `.well-known` may start with a dot, and only as the
 * first segment.
 */
export function resolveUrlPath(rawPathname: string): UrlPathResolution {
  if (rawPathname.length > MAX_PATH_LENGTH) return { kind: "bad-request", reason: "path too long" };
  if (rawPathname[0] !== "/") return { kind: "not-static", reason: "not an absolute path" };
  if (rawPathname.includes("\\")) return { kind: "not-static", reason: "backslash in path" };

  const rawSegments = rawPathname.slice(1).split("/");
  const directory = rawSegments[rawSegments.length - 1] === "";
  if (directory) rawSegments.pop();

  const segments: string[] = [];
  for (let i = 0; i < rawSegments.length; i++) {
    const segment = decodeSegment(rawSegments[i]);
    if (segment === undefined) return { kind: "bad-request", reason: "malformed percent-encoding" };
    if (segment.includes("\0")) return { kind: "bad-request", reason: "NUL byte in path" };
    if (segment === "") return { kind: "not-static", reason: "empty path segment" };
    if (segment.includes("/") || segment.includes("\\")) return { kind: "not-static", reason: "encoded separator" };
    if (segment[0] === "." && !(i === 0 && segment === ".well-known")) {
      return { kind: "not-static", reason: segment === "." || segment === ".." ? "dot segment" : "dotfile" };
    }
    segments.push(segment);
  }
  return { kind: "path", relative: segments.join("/"), directory };
}

/** Whether `candidate` (an absolute, normalized path) is `root` or lies inside it. */
export function isInside(root: string, candidate: string): boolean {
  const prefix = root.endsWith(sep) ? root : root + sep;
  return candidate === root || candidate.startsWith(prefix);
}

/** Joins a relative path under `root` and checks the result did not leave it. */
export function joinInside(root: string, relative: string): string | undefined {
  if (relative.includes("\0")) return undefined;
  const joined = resolve(root, relative);
  return isInside(root, joined) ? joined : undefined;
}
