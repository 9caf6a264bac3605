// multipart/form-data read as a stream: busboy parses the parts as the body arrives, a file part
// is handed over as a stream that the parse waits for (backpressure all the way to the socket),
// and every limit is checked as the bytes pass. Memory stays flat for any body size.
import type { Readable } from "node:stream";
import type BusboyModule from "busboy";
import { checkFieldName, formLimitExceeded, type ResolvedFormLimits } from "./form-limits.js";
import { HttpError } from "./http-error.js";
import { onFirstUse } from "./on-first-use.js";
import { drainOrClose } from "./drain-or-close.js";

const busboy = onFirstUse<typeof BusboyModule>("busboy");

/** RFC 2046 §5.1.1: a boundary is 1 to 70 characters. A longer one is refused before parsing. */
const MAX_BOUNDARY_LENGTH = 70;

export interface MultipartFileInfo {
  /** The file name the client gave, without any folder part; "" when it gave none. */
  filename: string;
  /** The part's Content-Type; application/octet-stream when the client gave none. */
  type: string;
}

export interface MultipartCallbacks {
  onField(name: string, value: string): void;
  /** Must read `stream` to its end or destroy it: the parse waits for it. A rejection ends the parse with that error. */
  onFile(name: string, stream: Readable, info: MultipartFileInfo): Promise<void>;
}

function boundaryOf(contentType: string): string {
  const match = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new HttpError(400, "Malformed multipart body: the Content-Type has no boundary");
  if (boundary.length > MAX_BOUNDARY_LENGTH) {
    throw new HttpError(
      400,
      `Malformed multipart body: the boundary is ${boundary.length} characters long; at most ${MAX_BOUNDARY_LENGTH} are allowed`,
    );
  }
  return boundary;
}

/** RFC 7578 §4.2: every part names its field; the name must fit the limit. */
function checkPartName(name: string | undefined, limits: ResolvedFormLimits): void {
  if (name === undefined) throw new HttpError(400, "Malformed multipart body: a part has no name");
  checkFieldName(name, limits);
}

/**
 * Parses a multipart/form-data body as it streams in, calling back for every field and file.
 * Resolves once every part has been read and every onFile promise settled. Rejects with a 413
 * HttpError for a limit, a 400 for a malformed body, or the body stream's own error (a 413 from
 * the server's body limit, a client that went away) — and then stops reading and destroys the
 * file streams still open, so whoever writes them can clean up. Aborting `signal` stops it the same way.
 */
export function parseMultipart(
  req: Request,
  limits: ResolvedFormLimits,
  callbacks: MultipartCallbacks,
  signal?: AbortSignal,
): Promise<void> {
  const contentType = req.headers.get("content-type") ?? "";
  let parser: ReturnType<typeof BusboyModule>;
  try {
    boundaryOf(contentType);
    parser = busboy()({
      headers: { "content-type": contentType },
      // Browsers send UTF-8 names and file names unencoded; busboy's default would read them as Latin-1.
      defParamCharset: "utf8",
      limits: {
        fieldSize: limits.maxFieldSize,
        fileSize: limits.maxFileSize,
        files: limits.maxFiles,
        fields: limits.maxFields,
        parts: limits.maxParts,
      },
    });
  } catch (error) {
    return Promise.reject(
      error instanceof HttpError
        ? error
        : new HttpError(400, `Malformed multipart body: ${(error as Error).message}`, { cause: error }),
    );
  }
  const body = req.body;
  const reader = body?.getReader();

  return new Promise<void>((resolve, reject) => {
    let failure: unknown;
    const pending: Promise<void>[] = [];
    const open = new Set<Readable>();

    const fail = (error: unknown) => {
      if (failure !== undefined) return;
      failure = error;
      reader?.cancel(error).catch(() => {});
      parser.destroy();
      for (const stream of open) stream.destroy(error instanceof Error ? error : new Error(String(error)));
      reject(error);
    };

    parser.on("field", (name, value, info) => {
      if (failure !== undefined) return;
      try {
        checkPartName(name, limits);
        if (info.valueTruncated) {
          throw formLimitExceeded(`field "${name}" is too long`, "maxFieldSize", limits.maxFieldSize);
        }
        callbacks.onField(name, value);
      } catch (error) {
        fail(error);
      }
    });

    parser.on("file", (name, stream, info) => {
      // Destroying the parser destroys its open file stream with an error: it must never go unheard.
      stream.on("error", () => {});
      if (failure !== undefined) {
        stream.resume();
        return;
      }
      try {
        checkPartName(name, limits);
      } catch (error) {
        stream.resume();
        fail(error);
        return;
      }
      open.add(stream);
      stream.once("close", () => open.delete(stream));
      stream.once("limit", () =>
        fail(formLimitExceeded(`file "${info.filename}" is too large`, "maxFileSize", limits.maxFileSize)),
      );
      const handled = callbacks.onFile(name, stream, {
        filename: info.filename ?? "",
        type: info.mimeType || "application/octet-stream",
      });
      pending.push(handled.catch(fail));
    });

    signal?.addEventListener("abort", () => fail(signal.reason), { once: true });
    parser.on("partsLimit", () => fail(formLimitExceeded("the form has too many parts", "maxParts", limits.maxParts)));
    parser.on("filesLimit", () => fail(formLimitExceeded("the form has too many files", "maxFiles", limits.maxFiles)));
    parser.on("fieldsLimit", () =>
      fail(formLimitExceeded("the form has too many fields", "maxFields", limits.maxFields)),
    );
    parser.on("error", (error: Error) => {
      // busboy says only "Malformed part header", also for headers over its 16 KiB: say both.
      const what =
        error.message === "Malformed part header"
          ? "a part's headers are malformed or longer than 16 KiB"
          : error.message;
      fail(new HttpError(400, `Malformed multipart body: ${what}`, { cause: error }));
    });
    parser.on("close", () => {
      Promise.all(pending).then(() => {
        if (failure === undefined) resolve();
      }, fail);
    });

    (async () => {
      if (!reader) {
        parser.end();
        return;
      }
      for (;;) {
        const { done, value } = await reader.read();
        if (failure !== undefined) return;
        if (done) {
          parser.end();
          return;
        }
        if (!parser.write(value) && !parser.destroyed) await drainOrClose(parser);
      }
    })().catch(fail);
  });
}
