/**
 * Content types from file names and short names, via the maintained `mime` database.
 * Text types get `charset=utf-8` (see withCharset), so browsers never have to guess an encoding.
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

/** Types outside `text/*` whose content is text in a character encoding of its own choosing. */
const TEXT_WITH_CHARSET = new Set([
  "application/javascript",
  "application/xml",
  "application/xhtml+xml",
  "image/svg+xml",
]);

/**
 * Whether a bare media type (no parameters) names its charset: `text/*` and the XML and
 * JavaScript types, as Sinatra's `add_charset` has it. JSON does not: RFC 8259 defines no charset
 * parameter for it (JSON is UTF-8), and `c.json()` sends a bare `application/json`.
 */
export function namesCharset(mediaType: string): boolean {
  return mediaType.startsWith("text/") || TEXT_WITH_CHARSET.has(mediaType) || mediaType.endsWith("+xml");
}

/**
 * The one rule for a charset in a Content-Type, for static files, `sendFile`, `attachment` and
 * `c.type()` alike: a type that names its charset and has none gets `;charset=utf-8` (written as
 * Sinatra writes it, and as frank's default `text/html;charset=utf-8`).
 */
export function withCharset(contentType: string): string {
  const semicolon = contentType.indexOf(";");
  const bare = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (!namesCharset(bare) || /;\s*charset=/i.test(contentType)) return contentType;
  return `${contentType};charset=utf-8`;
}

// The lookup runs for every static file served, so answers are remembered per extension.
const byExtension = new Map<string, string | null>();

/** `"a.html"`, `"html"` or `".html"` -> `"text/html;charset=utf-8"`; unknown -> undefined. */
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
