// The text/event-stream format (HTML Living Standard, "Server-sent events"): an event is a
// block of `field: value` lines ended by a blank line; a line starting with ":" is a comment.

/** One event. Only `data` makes the browser dispatch it; `id` and `retry` alone update the stream's state. */
export interface ServerSentEvent {
  /** A string is sent as it is (each line of it as a data line); anything else as JSON. */
  data?: unknown;
  /** The event type (`addEventListener(type, …)` on the EventSource); default "message". */
  event?: string;
  /** Sent back by the browser as `Last-Event-ID` when it reconnects. */
  id?: string | number;
  /** Milliseconds the browser waits before reconnecting. */
  retry?: number;
}

const LINE_BREAK = /\r\n|\r|\n/;

function singleLine(field: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new TypeError(`a server-sent event's ${field} cannot contain a line break`);
  return value;
}

/** The wire form of one event, blank line included. Throws TypeError for what the format cannot carry. */
export function formatEvent(event: ServerSentEvent): string {
  let text = "";
  if (event.event !== undefined) text += `event: ${singleLine("event", event.event)}\n`;
  if (event.id !== undefined) {
    const id = singleLine("id", String(event.id));
    // Browsers ignore an id with NUL, so the reconnect would silently start over.
    if (id.includes("\0")) throw new TypeError("a server-sent event's id cannot contain NUL");
    text += `id: ${id}\n`;
  }
  if (event.retry !== undefined) {
    if (!Number.isInteger(event.retry) || event.retry < 0)
      throw new TypeError(`a server-sent event's retry must be whole milliseconds, not ${event.retry}`);
    text += `retry: ${event.retry}\n`;
  }
  if (event.data !== undefined) {
    const data = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
    for (const line of data.split(LINE_BREAK)) text += `data: ${line}\n`;
  }
  return `${text}\n`;
}

/** A comment: ignored by the browser, it keeps the connection and every proxy on the way from timing out. */
export function formatComment(text = ""): string {
  let comment = "";
  for (const line of text.split(LINE_BREAK)) comment += line === "" ? ":\n" : `: ${line}\n`;
  return comment;
}

/** The `Last-Event-ID` a reconnecting browser sends, or undefined. */
export function lastEventId(req: Request): string | undefined {
  return req.headers.get("last-event-id") ?? undefined;
}
