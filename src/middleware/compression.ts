import { constants, createBrotliCompress, createGzip, type BrotliCompress, type Gzip } from "node:zlib";
import { negotiateEncoding } from "../http/negotiate.js";
import type { Middleware } from "../http/types.js";
import { addVary, editHeaders } from "./response-headers.js";

export type Encoding = "br" | "gzip";

export interface CompressionOptions {
  /** Bodies smaller than this many bytes are sent as they are. Default 1024. */
  threshold?: number;
  /** Encodings in the server's order of preference, for ties in q-value. Default br, gzip. */
  encodings?: readonly Encoding[];
  /** gzip level 1–9. Default 6 (zlib's own default). */
  gzipLevel?: number;
  /** Brotli quality 0–11. Default 4: close to gzip's speed with smaller output; 11 is for precompressed files. */
  brotliQuality?: number;
  /** Decides by Content-Type (without parameters) whether to compress. Default: text-like types. */
  compressible?: (contentType: string) => boolean;
}

// Text-like types gain from compression; images, audio, video, archives and woff/woff2
// fonts are compressed already, so they are absent here, and so is anything unknown.
const TEXT_LIKE =
  /^(?:text\/.+|application\/(?:json|javascript|ecmascript|x-javascript|xml|xhtml\+xml|rss\+xml|atom\+xml|x-ndjson|wasm|graphql|yaml|x-yaml|toml|vnd\.ms-fontobject|x-www-form-urlencoded)|image\/(?:svg\+xml|x-icon|vnd\.microsoft\.icon|bmp)|font\/(?:ttf|otf|collection)|[a-z]+\/[^;]*\+(?:json|xml))$/i;

export function isCompressible(contentType: string): boolean {
  return TEXT_LIKE.test(contentType);
}

/**
 * gzip and brotli for responses, negotiated by Accept-Encoding q-values. Streams: each
 * chunk from the handler is flushed through the compressor, so server-sent events and
 * progressive pages arrive as they are produced. Leaves alone: HEAD, 204/206/304,
 * responses already encoded or marked no-transform, non-text types, and bodies under
 * the threshold (a body of unknown length is measured when it is already complete).
 */
export function compression(options: CompressionOptions = {}): Middleware {
  const threshold = options.threshold ?? 1024;
  const encodings = options.encodings ?? ["br", "gzip"];
  const compressible = options.compressible ?? isCompressible;

  return (next) => async (req) => {
    const res = await next(req);
    if (!eligible(req, res, compressible)) return res;
    const withVary = editHeaders(res, (headers) => addVary(headers, "Accept-Encoding"));
    const encoding = negotiate(req.headers.get("accept-encoding"), encodings);
    if (!encoding || withVary.body === null) return withVary;

    const declared = withVary.headers.get("content-length");
    if (declared !== null && Number(declared) < threshold) return withVary;
    const source = new ChunkSource(withVary.body.getReader());
    if (declared === null) {
      const size = await source.bufferWhatIsReady(threshold);
      if (size !== undefined && size < threshold) {
        const body = source.takeBuffered();
        return new Response(body, {
          status: withVary.status,
          statusText: withVary.statusText,
          headers: withHeader(withVary.headers, "content-length", String(body.byteLength)),
        });
      }
    }

    const headers = new Headers(withVary.headers);
    headers.set("content-encoding", encoding);
    headers.delete("content-length");
    headers.delete("accept-ranges");
    // The bytes differ from the uncompressed representation, so a strong validator would lie.
    const etag = headers.get("etag");
    if (etag && !etag.startsWith("W/")) headers.set("etag", `W/${etag}`);
    const compressor =
      encoding === "br" ? brotli(options.brotliQuality ?? 4, declared) : createGzip({ level: options.gzipLevel ?? 6 });
    return new Response(compressStream(source, compressor, encoding), {
      status: withVary.status,
      statusText: withVary.statusText,
      headers,
    });
  };
}

function eligible(req: Request, res: Response, compressible: (type: string) => boolean): boolean {
  if (req.method === "HEAD" || res.body === null) return false;
  if (res.status < 200 || res.status === 204 || res.status === 206 || res.status === 304) return false;
  const h = res.headers;
  const encoded = h.get("content-encoding");
  if ((encoded && encoded.toLowerCase() !== "identity") || h.has("content-range")) return false;
  if (/\bno-transform\b/i.test(h.get("cache-control") ?? "")) return false;
  const type = h.get("content-type")?.split(";")[0].trim();
  return type !== undefined && compressible(type);
}

/**
 * The encoding to compress with, or undefined to send the body as it is: the shared rule of
 * negotiateEncoding, with identity offered last. `supported` is the server's order for ties.
 */
export function negotiate(acceptEncoding: string | null, supported: readonly Encoding[]): Encoding | undefined {
  const chosen = negotiateEncoding(acceptEncoding, [...supported, "identity"]);
  return chosen === "identity" ? undefined : (chosen as Encoding | undefined);
}

function brotli(quality: number, declaredLength: string | null): BrotliCompress {
  const params: Record<number, number> = { [constants.BROTLI_PARAM_QUALITY]: quality };
  if (declaredLength !== null) params[constants.BROTLI_PARAM_SIZE_HINT] = Number(declaredLength);
  return createBrotliCompress({ params });
}

function withHeader(headers: Headers, name: string, value: string): Headers {
  const copy = new Headers(headers);
  copy.set(name, value);
  return copy;
}

/** A body reader that can look ahead at what the handler has already produced. */
class ChunkSource {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buffered: Uint8Array[] = [];
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;

  constructor(reader: ReadableStreamDefaultReader<Uint8Array>) {
    this.#reader = reader;
  }

  /**
   * Reads chunks that are ready now (an in-memory body is complete within a tick) until
   * `limit` bytes; returns the total size when the body ended, undefined when more may
   * come later. A live stream is never waited on here.
   */
  async bufferWhatIsReady(limit: number): Promise<number | undefined> {
    let size = 0;
    while (size < limit) {
      const read = this.#reader.read();
      const result = await Promise.race([read, new Promise<"later">((resolve) => setImmediate(resolve, "later"))]);
      if (result === "later") {
        this.#pending = read;
        return undefined;
      }
      if (result.done) return size;
      this.#buffered.push(result.value);
      size += result.value.byteLength;
    }
    return undefined;
  }

  takeBuffered(): Uint8Array<ArrayBuffer> {
    const body = new Uint8Array(Buffer.concat(this.#buffered));
    this.#buffered = [];
    return body;
  }

  read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    const buffered = this.#buffered.shift();
    if (buffered) return Promise.resolve({ done: false, value: buffered });
    const pending = this.#pending;
    this.#pending = undefined;
    return pending ?? this.#reader.read();
  }

  cancel(reason: unknown): Promise<void> {
    return this.#reader.cancel(reason);
  }
}

function compressStream(
  source: ChunkSource,
  compressor: Gzip | BrotliCompress,
  encoding: Encoding,
): ReadableStream<Uint8Array> {
  const flushKind = encoding === "br" ? constants.BROTLI_OPERATION_FLUSH : constants.Z_SYNC_FLUSH;
  const ended = new Promise<void>((resolve) => compressor.once("end", resolve));
  return new ReadableStream<Uint8Array>({
    start(controller) {
      compressor.on("data", (chunk: Buffer) => controller.enqueue(chunk));
      compressor.once("error", (error) => controller.error(error));
      compressor.once("end", () => controller.close());
    },
    async pull() {
      try {
        const { done, value } = await source.read();
        if (done) {
          compressor.end();
          await ended;
          return;
        }
        // Flushing after each chunk sends what the handler produced without waiting for
        // more; a full-size chunk loses only a few bytes of ratio to it.
        await new Promise<void>((resolve) =>
          compressor.write(value, () => compressor.flush(flushKind, () => resolve())),
        );
      } catch (error) {
        compressor.destroy();
        throw error;
      }
    },
    cancel(reason) {
      compressor.destroy();
      return source.cancel(reason);
    },
  });
}
