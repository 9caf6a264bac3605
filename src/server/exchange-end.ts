/**
 * How the server's request observers (metrics, the `frank.request` channel) learn that a
 * request is over. The observer marks the request when it passes through; the Node adapter,
 * the one place that knows when a response has been written, cut off or failed, calls
 * `exchangeEnded` once per request. Kept on the request itself: nothing allocated per request.
 */

// From node:perf_hooks, not the global: Node defines global `performance` as a getter, which
// runs on every read; this is a plain object, read once.
import { performance } from "node:perf_hooks";

const kStartedAt = Symbol("frank.exchangeStartedAt");
const kOnEnd = Symbol("frank.exchangeOnEnd");

/**
 * `status` is the status sent (the one the client saw, or would have); `aborted` when the
 * response did not complete; `error` what the handler threw or writing raised, if anything.
 */
export type ExchangeEndListener = (request: Request, status: number, aborted: boolean, error: unknown) => void;

export interface ObservedRequest extends Request {
  [kStartedAt]: number;
  [kOnEnd]: ExchangeEndListener | undefined;
}

/** Fields every request of the Node adapter starts with, so observed or not they share one shape. */
export function initExchangeFields(request: Request): void {
  const observed = request as ObservedRequest;
  observed[kStartedAt] = 0;
  observed[kOnEnd] = undefined;
}

/** Calls `listener` when the request is over; takes the time it starts (performance.now()). */
export function observeExchange(request: Request, listener: ExchangeEndListener): void {
  const observed = request as ObservedRequest;
  observed[kStartedAt] = performance.now();
  observed[kOnEnd] = listener;
}

/** When an observed request started (performance.now()). */
export function exchangeStartedAt(request: Request): number {
  return (request as ObservedRequest)[kStartedAt];
}

/** For the adapter: the request is over. Calls its listener at most once. */
export function exchangeEnded(request: Request, status: number, aborted: boolean, error?: unknown): void {
  const observed = request as ObservedRequest;
  const listener = observed[kOnEnd];
  if (listener === undefined) return;
  observed[kOnEnd] = undefined;
  listener(request, status, aborted, error);
}
