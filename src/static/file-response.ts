/**
 * The HTTP answer for one file variant, shared by the public folder and sendFile:
 * preconditions (304/412), Range and If-Range (206/416), HEAD, and the headers.
 */
import { bufferedResponse } from "../http/buffered-response.js";
import { evaluatePreconditions, ifRangeAllows } from "../http/conditional.js";
import { parseRange } from "../http/range.js";
import { statusText } from "../http/http-error.js";
import { fileStream } from "./file-stream.js";
import type { FileVariant } from "./file-variant.js";

export interface FileResponseOptions {
  contentType?: string;
  /** 200 unless set; any other status turns off conditional and range handling. */
  status?: number;
  cacheControl?: string;
  contentDisposition?: string;
  /** Adds `Vary: Accept-Encoding`: set whenever precompressed siblings exist, whichever was chosen. */
  varyEncoding?: boolean;
  /** false leaves out Last-Modified (and so If-Modified-Since cannot match). */
  sendLastModified?: boolean;
  headers?: Record<string, string>;
}

/** Headers a 304 must repeat (RFC 9110 §15.4.5), plus the caller's extra headers. */
function validatorHeaders(
  file: FileVariant,
  options: FileResponseOptions,
  withLastModified: boolean,
): Record<string, string> {
  const headers: Record<string, string> = { etag: file.etag };
  if (withLastModified) headers["last-modified"] = file.lastModifiedText;
  if (options.cacheControl !== undefined) headers["cache-control"] = options.cacheControl;
  if (options.varyEncoding) headers.vary = "Accept-Encoding";
  if (options.headers !== undefined) Object.assign(headers, options.headers);
  return headers;
}

function body(file: FileVariant, start: number, end: number): BodyInit {
  if (file.bytes !== undefined) return file.bytes.subarray(start, end + 1) as Uint8Array<ArrayBuffer>;
  return fileStream(file.path, start, end) as ReadableStream<Uint8Array<ArrayBuffer>>;
}

export function respondWithFile(req: Request, file: FileVariant, options: FileResponseOptions = {}): Response {
  const status = options.status ?? 200;
  const withLastModified = options.sendLastModified !== false;
  const validators = { etag: file.etag, lastModified: withLastModified ? file.lastModified : undefined };
  const headers = validatorHeaders(file, options, withLastModified);
  const isHead = req.method === "HEAD";

  if (status === 200) {
    const precondition = evaluatePreconditions(req, validators);
    if (precondition === "not-modified") return bufferedResponse({ status: 304, headers, setCookies: [], body: null });
    if (precondition === "precondition-failed") {
      return new Response(statusText(412), { status: 412, headers: { "content-type": "text/plain;charset=utf-8" } });
    }
  }

  headers["accept-ranges"] = "bytes";
  if (options.contentType !== undefined) headers["content-type"] = options.contentType;
  if (file.encoding !== undefined) headers["content-encoding"] = file.encoding;
  if (options.contentDisposition !== undefined) headers["content-disposition"] = options.contentDisposition;

  // Range applies to GET only (RFC 9110 §14.2), and If-Range may veto it.
  const rangeHeader = req.method === "GET" && status === 200 ? req.headers.get("range") : null;
  if (rangeHeader !== null && ifRangeAllows(req, validators)) {
    const range = parseRange(rangeHeader, file.size);
    if (range.kind === "unsatisfiable") {
      headers["content-range"] = `bytes */${file.size}`;
      headers["content-type"] = "text/plain;charset=utf-8";
      delete headers["content-encoding"];
      return new Response(statusText(416), { status: 416, headers });
    }
    if (range.kind === "single") {
      headers["content-range"] = `bytes ${range.start}-${range.end}/${file.size}`;
      headers["content-length"] = String(range.end - range.start + 1);
      return new Response(body(file, range.start, range.end), { status: 206, headers });
    }
    // Several ranges: frank answers 200 with the whole file, which RFC 9110 §14.2 allows.
    // multipart/byteranges is rarely used by real clients (browsers, curl resumes and media
    // players ask for one range), and overlapping ranges make it an amplification tool.
  }

  headers["content-length"] = String(file.size);
  // Cached small files leave as buffered responses: no stream is built for them.
  if (isHead || file.size === 0) return bufferedResponse({ status, headers, setCookies: [], body: null });
  if (file.bytes !== undefined) return bufferedResponse({ status, headers, setCookies: [], body: file.bytes });
  return new Response(body(file, 0, file.size - 1), { status, headers });
}
