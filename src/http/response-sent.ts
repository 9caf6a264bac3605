/**
 * When has a response really been sent, and how many body bytes went out? Only the server
 * knows. A server that can tell (frank's Node adapter) marks its requests with
 * `REPORTS_RESPONSE_SENT` and calls `responseSent` once it has written a response; a
 * middleware such as the access log registers with `whenResponseSent`. Where no server
 * reports, the middleware has to count the body itself (which costs a stream per response).
 */

/** Present (true) on requests whose server reports sent responses. */
export const REPORTS_RESPONSE_SENT: unique symbol = Symbol.for("frank.reportsResponseSent");

/** `status` is given when what went out differs from the Response's own (101 for a WebSocket upgrade). */
export type SentListener = (bytes: number, aborted: boolean, status?: number) => void;

// A slot on the response itself: a WeakMap entry per request costs more (in the collector too).
const kSentListener: unique symbol = Symbol("frank.sentListener");
type Listened = Response & { [kSentListener]?: SentListener };

/** Does the server that made this request report when its response has been sent? */
export function serverReportsSent(req: Request): boolean {
  return (req as Request & { [REPORTS_RESPONSE_SENT]?: boolean })[REPORTS_RESPONSE_SENT] === true;
}

/** Calls `listener` once `res` has been written (or abandoned). One listener per response. */
export function whenResponseSent(res: Response, listener: SentListener): void {
  (res as Listened)[kSentListener] = listener;
}

/**
 * For servers: `res` is done; `bytes` of its body went out; `aborted` when it did not complete;
 * `status` when the status sent was not the Response's (a WebSocket's 101, a refused handshake's 400).
 */
export function responseSent(res: Response, bytes: number, aborted: boolean, status?: number): void {
  const listener = (res as Listened)[kSentListener];
  if (listener === undefined) return;
  (res as Listened)[kSentListener] = undefined;
  listener(bytes, aborted, status);
}
