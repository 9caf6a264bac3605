// A form as a sequence of parts, for uploads that should not touch the disk: fields as strings,
// files as streams read straight from the request body. The parse waits while a file's stream
// is not read, so memory stays flat; a file left unread when the next part is asked for is
// skipped.
import type { Readable } from "node:stream";
import { type FormLimits, type ResolvedFormLimits, resolveFormLimits } from "./form-limits.js";
import { mediaTypeOf, readForm, urlencodedPairs } from "./form.js";
import { parseMultipart } from "./multipart.js";

export interface FormFieldPart {
  kind: "field";
  name: string;
  value: string;
}

export interface FormFilePart {
  kind: "file";
  name: string;
  /** The file name the client gave, without any folder part ("" when none). */
  filename: string;
  type: string;
  /** The file's bytes as they arrive; read it (or cancel it) before asking for the next part. */
  stream: ReadableStream<Uint8Array>;
}

export type FormPart = FormFieldPart | FormFilePart;

/** Bytes of a file part buffered before the parse (and the socket) wait for the reader. */
const FILE_HIGH_WATER_MARK = 64 * 1024;

/** A Web stream over a Node one, pushing back by bytes; `settled` runs once it ended, failed or was cancelled. */
function webStream(stream: Readable, settled: () => void): ReadableStream<Uint8Array> {
  let done = false;
  const finish = () => {
    if (done) return false;
    done = true;
    settled();
    return true;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        stream.pause();
        stream.on("data", (chunk: Buffer) => {
          if (done) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 1) <= 0) stream.pause();
        });
        stream.once("end", () => finish() && controller.close());
        stream.once("error", (error) => finish() && controller.error(error));
      },
      pull() {
        stream.resume();
      },
      cancel() {
        // The rest of the file is read and dropped, so the parse can go on to the next part.
        finish();
        stream.resume();
      },
    },
    { highWaterMark: FILE_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
}

/**
 * The parts of a urlencoded or multipart form, in order. Limits, malformed bodies and other
 * content types fail the iteration as readForm() does. Stopping early (break) stops the parse.
 */
export async function* formParts(
  req: Request,
  options: { limits?: FormLimits | ResolvedFormLimits } = {},
): AsyncGenerator<FormPart, void, undefined> {
  const limits = resolveFormLimits(options.limits);
  const type = mediaTypeOf(req.headers.get("content-type"));
  if (type !== "multipart/form-data") {
    // readForm() gives the 415 for other types; urlencoded forms are small and read whole.
    if (type !== "application/x-www-form-urlencoded") await readForm(req, { limits });
    for (const [name, value] of urlencodedPairs(await req.text(), limits)) yield { kind: "field", name, value };
    return;
  }

  const queue: FormPart[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const stop = new AbortController();
  parseMultipart(
    req,
    limits,
    {
      onField(name, value) {
        queue.push({ kind: "field", name, value });
        notify();
      },
      onFile(name, stream, info) {
        return new Promise<void>((resolve) => {
          queue.push({ kind: "file", name, ...info, stream: webStream(stream, resolve) });
          notify();
        });
      },
    },
    stop.signal,
  ).then(
    () => {
      finished = true;
      notify();
    },
    (error: unknown) => {
      failure = error;
      notify();
    },
  );

  let previous: FormPart | undefined;
  try {
    for (;;) {
      // A file the caller did not read is skipped, or the parse would wait for it forever.
      if (previous?.kind === "file" && !previous.stream.locked) void previous.stream.cancel().catch(() => {});
      while (queue.length === 0 && !finished && failure === undefined)
        await new Promise<void>((resolve) => (wake = resolve));
      if (failure !== undefined) throw failure;
      const part = queue.shift();
      if (part === undefined) return;
      previous = part;
      yield part;
    }
  } finally {
    if (!finished && failure === undefined) stop.abort(new Error("the form's reader stopped before its end"));
  }
}
