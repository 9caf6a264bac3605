import { drainSignalOf } from "../http/drain-signal.js";
import { formatComment, formatEvent, lastEventId, type ServerSentEvent } from "../http/sse.js";
import { createStreamBody, type StreamWriter } from "./stream.js";

/** The writer handed to `c.sse()`'s callback. */
export interface EventStream {
  /** Sends one event (a string is its data); resolves when the client is ready for more, false once closed. */
  send(event: ServerSentEvent | string): Promise<boolean>;
  /** Sends a comment, which the browser ignores. */
  comment(text?: string): Promise<boolean>;
  /** Ends the stream; the browser reconnects after its retry delay unless its page closed the EventSource. */
  close(): void;
  /** True once the stream ended, the client went away or the server started draining. */
  readonly closed: boolean;
  /** Runs when the stream ends for any of those reasons. */
  onClose(callback: () => void): void;
  /** The `Last-Event-ID` the browser sent when it reconnected: resume after it. */
  readonly lastEventId: string | undefined;
}

export interface EventStreamOptions {
  /** Seconds between comments sent while no event was (default 15; 0: none): proxies close silent connections (nginx after 60 s). */
  heartbeat?: number;
  /** Milliseconds the browser should wait before reconnecting, sent first. */
  retry?: number;
  /** Keep the stream open after the callback returns, until `close()` (as `c.stream()`'s keepOpen). */
  keepOpen?: boolean;
}

export const DEFAULT_HEARTBEAT_SECONDS = 15;

/** Headers of an event stream: no caching, and no buffering by nginx (X-Accel-Buffering), so each event leaves at once. */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/event-stream;charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};

/**
 * The body of a server-sent event stream, on top of `c.stream()`'s writer: events framed by
 * http/sse.ts, a heartbeat comment when the stream is quiet, and a clean end when the server
 * starts draining — the browser's EventSource then reconnects, through the Ingress, to a pod
 * that stays, sending the last id it saw.
 */
export function createEventStreamBody(
  req: Request,
  produce: (events: EventStream) => void | Promise<void>,
  onError: (error: unknown) => void,
  options: EventStreamOptions = {},
): ReadableStream<Uint8Array> {
  const heartbeatMs = (options.heartbeat ?? DEFAULT_HEARTBEAT_SECONDS) * 1000;
  let lastWrite = Date.now();

  const wrap = (out: StreamWriter): EventStream => {
    const write = (text: string) => {
      lastWrite = Date.now();
      return out.write(text);
    };
    return {
      send: (event) => write(formatEvent(typeof event === "string" ? { data: event } : event)),
      comment: (text) => write(formatComment(text)),
      close: () => out.close(),
      get closed() {
        return out.closed;
      },
      onClose: (callback) => out.onClose(callback),
      lastEventId: lastEventId(req),
    };
  };

  return createStreamBody(
    async (out) => {
      const events = wrap(out);
      const drain = drainSignalOf(req);
      const endOnDrain = () => events.close();
      if (drain?.aborted) return;
      drain?.addEventListener("abort", endOnDrain, { once: true });
      let heartbeat: NodeJS.Timeout | undefined;
      if (heartbeatMs > 0) {
        heartbeat = setInterval(() => {
          if (Date.now() - lastWrite >= heartbeatMs - 50) void events.comment().catch(onError);
        }, heartbeatMs);
        heartbeat.unref();
      }
      events.onClose(() => {
        clearInterval(heartbeat);
        drain?.removeEventListener("abort", endOnDrain);
      });
      if (options.retry !== undefined) await events.send({ retry: options.retry });
      await produce(events);
    },
    req.signal,
    onError,
    options.keepOpen,
  );
}
