/**
 * Content types from file names and short names, via the maintained `mime` database.
 * Text-like types get `charset=utf-8`, so browsers never have to guess an encoding.
 */
import standardTypes from "mime/lite";
import { onFirstUse } from "./on-first-use.js";

/**
 * The standard types (IANA's, 460 extensions) answer almost every lookup. The full database
 * adds vendor and `x-` types (.ico, .xlsx, .tar) at about 5 MiB of memory, so it is loaded
 * only when a name is not standard.
 * Both agree on every standard extension (pinned by mime.test.ts).
 */
const allTypes = onFirstUse<{ default: typeof standardTypes }>("mime");

function getType(name: string): string | null {
  return standardTypes.getType(name) ?? allTypes().default.getType(name);
}

/** Types that carry text even though they are not `text/*`. */
const TEXT_LIKE = new Set(["application/javascript", "application/json", "application/xml", "image/svg+xml"]);

/** Whether a bare media type (no parameters) is text and should name its charset. */
export function isTextType(mediaType: string): boolean {
  return (
    mediaType.startsWith("text/") ||
    TEXT_LIKE.has(mediaType) ||
    mediaType.endsWith("+json") ||
    mediaType.endsWith("+xml")
  );
}

/** Adds `; charset=utf-8` to a text type that names no charset yet. */
export function withCharset(contentType: string): string {
  const bare = contentType.split(";", 1)[0].trim().toLowerCase();
  if (!isTextType(bare) || /;\s*charset=/i.test(contentType)) return contentType;
  return `${contentType}; charset=utf-8`;
}

// The lookup runs for every static file served, so answers are remembered per extension.
const byExtension = new Map<string, string | null>();

/** `"a.html"`, `"html"` or `".html"` -> `"text/html; charset=utf-8"`; unknown -> undefined. */
export function contentTypeFor(pathOrExtension: string): string | undefined {
  const dot = pathOrExtension.lastIndexOf(".");
  const slash = Math.max(pathOrExtension.lastIndexOf("/"), pathOrExtension.lastIndexOf("\\"));
  const extension = (dot > slash ? pathOrExtension.slice(dot + 1) : pathOrExtension.slice(slash + 1)).toLowerCase();
  let known = byExtension.get(extension);
  if (known === undefined) {
    const type = getType(extension);
    known = type === null ? null : withCharset(type);
    if (byExtension.size < 1000) byExtension.set(extension, known);
  }
  return known ?? undefined;
}

/** A short name as `c.type("json")` or `provides: "html"` use it -> the bare media type. */
export function mimeTypeFor(shortName: string): string | undefined {
  if (shortName.includes("/")) return shortName;
  return getType(shortName) ?? undefined;
}
