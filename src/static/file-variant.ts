/**
 * One servable file: where it is, its size and validators, and (for small hot files) its bytes.
 * A precompressed sibling (`app.js.br`) is a variant of its own with its own ETag and length.
 */
import type { Stats } from "node:fs";
import { formatETag } from "../http/conditional.js";
import { negotiateEncoding } from "../http/negotiate.js";

export type ContentCoding = "br" | "gzip";

export interface FileVariant {
  path: string;
  size: number;
  mtimeMs: number;
  /** With size and mtime, tells a cached variant from a file that replaced it. */
  ino: number;
  /** Set for a precompressed sibling. */
  encoding?: ContentCoding;
  /** Weak, from size and mtime: cheap, and right for a file that is replaced, not edited in place. */
  etag: string;
  lastModified: Date;
  /** `lastModified` as an HTTP-date, formatted once. */
  lastModifiedText: string;
  /** The whole file, when it is small enough to keep in memory. */
  bytes?: Uint8Array;
}

/** Whether fresh stats still describe the same file as the variant. */
export function sameFile(variant: FileVariant, stats: Pick<Stats, "size" | "mtimeMs" | "ino">): boolean {
  return stats.mtimeMs === variant.mtimeMs && stats.size === variant.size && stats.ino === variant.ino;
}

export function variantFromStats(
  path: string,
  stats: Pick<Stats, "size" | "mtimeMs" | "ino">,
  encoding?: ContentCoding,
): FileVariant {
  const mtime = Math.floor(stats.mtimeMs);
  const tag = `${stats.size.toString(16)}-${mtime.toString(16)}${encoding ? "-" + encoding : ""}`;
  const lastModified = new Date(mtime);
  return {
    path,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    ino: stats.ino,
    encoding,
    etag: formatETag(tag, true),
    lastModified,
    lastModifiedText: lastModified.toUTCString(),
  };
}

/**
 * Picks the variant the client's Accept-Encoding prefers (negotiateEncoding's rule). When none is
 * acceptable, the file itself: RFC 9110 §12.5.3 asks for no content coding then; when identity is
 * refused too (`identity;q=0`, `*;q=0`) it allows a 406 or ignoring the header (§12.1), and frank
 * ignores it, as nginx and Express do: a 406 for a compression wish breaks more than it helps.
 */
export function chooseVariant(req: Request, variants: readonly FileVariant[]): FileVariant {
  if (variants.length === 1) return variants[0];
  const codings: string[] = variants.map((variant) => variant.encoding ?? "identity");
  const chosen = negotiateEncoding(req.headers.get("accept-encoding"), codings);
  return variants[codings.indexOf(chosen ?? "identity")];
}
