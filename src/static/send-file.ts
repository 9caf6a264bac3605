/**
 * `sendFile`: answers a request with a file from disk, with everything the public folder does
 * (conditional GET, Range, HEAD, precompressed siblings on request) plus Content-Disposition.
 *
 * Refusals: with `root`, a path that leads outside it (by `..`, an absolute path, or a symlink)
 * is answered 404, exactly like a missing file, so nothing about the disk outside is revealed.
 * A directory is also a 404: only regular files are sent, and so are hidden files below `root`
 * (any segment starting with "."; `.well-known/` excepted) unless `allowDotfiles` is set.
 */
import type { Stats } from "node:fs";
import { stat, realpath } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import { contentTypeFor, mimeTypeFor, withCharset } from "../http/mime.js";
import { statusText } from "../http/http-error.js";
import { contentDisposition } from "./content-disposition.js";
import { respondWithFile } from "./file-response.js";
import { chooseVariant, variantFromStats, type ContentCoding, type FileVariant } from "./file-variant.js";
import { isInside, joinInside } from "./safe-path.js";

export interface SendFileOptions {
  /** Resolve `filePath` against this folder and refuse anything outside it (symlinks included). */
  root?: string;
  /** A media type or a short name ("json"); default from the file name. */
  type?: string;
  /** The name the client sees; setting it implies `disposition: "attachment"`. */
  filename?: string;
  disposition?: "inline" | "attachment";
  /** A Last-Modified to send instead of the file's mtime, or false for none. */
  lastModified?: Date | false;
  /** 200 by default; any other status sends the file as is, without conditionals or ranges. */
  status?: number;
  cacheControl?: string;
  headers?: Record<string, string>;
  /** Look for `.br`/`.gz` siblings and pick one by Accept-Encoding. Off by default. */
  precompressed?: boolean;
  /** With `root`: send files whose path below root has a dot segment (`.env`, `.git/…`). Off by default. */
  allowDotfiles?: boolean;
}

function notFound(): Response {
  return new Response(statusText(404), { status: 404, headers: { "content-type": "text/plain;charset=utf-8" } });
}

async function regularFile(path: string): Promise<Stats | undefined> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a path below the root is hidden: a segment starts with "." (`.well-known` at the top is not). */
function isHidden(relativePath: string): boolean {
  return relativePath
    .split(sep)
    .some((segment, i) => segment.startsWith(".") && !(i === 0 && segment === ".well-known"));
}

/**
 * Resolves `filePath`, checking it against `root` both as written and after following symlinks.
 * With a root, the path is usually built from the request (`sendFile(req, c.params.splat, { root })`),
 * so hidden files below it are refused like the public folder refuses them.
 */
async function locate(filePath: string, root: string | undefined, allowDotfiles: boolean): Promise<string | undefined> {
  if (filePath.includes("\0")) return undefined;
  if (root === undefined) return resolve(filePath);
  const absoluteRoot = resolve(root);
  const joined = joinInside(absoluteRoot, filePath);
  if (joined === undefined) return undefined;
  if (!allowDotfiles && isHidden(relative(absoluteRoot, joined))) return undefined;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(absoluteRoot), realpath(joined)]);
    return isInside(realRoot, realFile) ? joined : undefined;
  } catch {
    return undefined;
  }
}

const SIBLINGS: [ContentCoding, string][] = [
  ["br", ".br"],
  ["gzip", ".gz"],
];

/** The identity file and any precompressed siblings, best compression first. */
async function variantsOf(path: string, precompressed: boolean): Promise<FileVariant[] | undefined> {
  const identity = await regularFile(path);
  if (identity === undefined) return undefined;
  const variants: FileVariant[] = [];
  if (precompressed) {
    for (const [coding, suffix] of SIBLINGS) {
      const sibling = await regularFile(path + suffix);
      if (sibling !== undefined) variants.push(variantFromStats(path + suffix, sibling, coding));
    }
  }
  variants.push(variantFromStats(path, identity));
  return variants;
}

function resolveType(type: string | undefined, path: string): string {
  if (type !== undefined) {
    const mediaType = mimeTypeFor(type);
    if (mediaType !== undefined) return withCharset(mediaType);
  }
  return contentTypeFor(path) ?? "application/octet-stream";
}

export async function sendFile(req: Request, filePath: string, options: SendFileOptions = {}): Promise<Response> {
  const path = await locate(filePath, options.root, options.allowDotfiles === true);
  if (path === undefined) return notFound();
  const variants = await variantsOf(path, options.precompressed === true);
  if (variants === undefined) return notFound();

  let file = chooseVariant(req, variants);
  if (options.lastModified instanceof Date) {
    const lastModified = new Date(Math.floor(options.lastModified.getTime() / 1000) * 1000);
    file = { ...file, lastModified, lastModifiedText: lastModified.toUTCString() };
  }
  const disposition = options.disposition ?? (options.filename !== undefined ? "attachment" : undefined);
  return respondWithFile(req, file, {
    contentType: resolveType(options.type, path),
    status: options.status,
    cacheControl: options.cacheControl,
    headers: options.headers,
    varyEncoding: variants.length > 1,
    sendLastModified: options.lastModified !== false,
    contentDisposition:
      disposition === undefined ? undefined : contentDisposition(disposition, options.filename ?? path),
  });
}
