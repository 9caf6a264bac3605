/** The writer handed to `c.stream()`'s callback. */
export interface StreamWriter {
  /** Resolves when the chunk is queued and the client is ready for more (backpressure); false once closed. */
  write(chunk: string | Uint8Array): Promise<boolean>;
  close(): void;
  /** True once the stream ended or the client went away. */
  readonly closed: boolean;
  /** Runs when the client goes away or the stream is closed. */
  onClose(callback: () => void): void;
}

const encoder = new TextEncoder();

/**
 * A response body fed by a callback, as Sinatra's `stream`: writes wait for the client, and when
 * the client disconnects the writer closes and the callbacks run instead of writes throwing.
 * The body ends when `produce` returns, or, with `keepOpen`, when it calls `close()`.
 */
export function createStreamBody(
  produce: (out: StreamWriter) => void | Promise<void>,
  signal: AbortSignal,
  onError: (error: unknown) => void,
  keepOpen = false,
): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let wake: (() => void) | undefined;
  const closeCallbacks: Array<() => void> = [];

  const finish = () => {
    if (closed) return;
    closed = true;
    wake?.();
    for (const callback of closeCallbacks.splice(0)) {
      try {
        callback();
      } catch (error) {
        onError(error);
      }
    }
  };

  const writer: StreamWriter = {
    async write(chunk) {
      if (closed) return false;
      controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      while (!closed && (controller.desiredSize ?? 0) <= 0) {
        await new Promise<void>((resolve) => (wake = resolve));
      }
      return !closed;
    },
    close() {
      if (closed) return;
      finish();
      controller.close();
    },
    get closed() {
      return closed;
    },
    onClose(callback) {
      if (closed) callback();
      else closeCallbacks.push(callback);
    },
  };

  signal.addEventListener("abort", finish, { once: true });

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        // Run the producer after the Response is handed out, so its first write can wait for a reader.
        queueMicrotask(async () => {
          try {
            await produce(writer);
            // As in Sinatra, the stream ends when the callback returns, unless asked to stay open.
            if (!keepOpen) writer.close();
          } catch (error) {
            onError(error);
            if (!closed) {
              finish();
              controller.error(error);
            }
          }
        });
      },
      pull() {
        const resume = wake;
        wake = undefined;
        resume?.();
      },
      cancel() {
        finish();
      },
    },
    { highWaterMark: 16 },
  );
}
