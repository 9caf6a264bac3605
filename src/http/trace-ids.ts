import { originalRequest } from "./request-state.js";

/**
 * The trace a request belongs to, for log lines. A tracer that makes a span for the request
 * (frank/otel) records its ids here; without one, the trace id comes from the W3C `traceparent`
 * header a proxy or the caller sent, so logs still join up with the upstream's trace.
 * A registered symbol: the tracer may be another copy of frank than the server.
 */
export const TRACE_IDS: unique symbol = Symbol.for("frank.traceIds");

export interface TraceIds {
  traceId: string;
  /** The id of the request's own span; undefined when no tracer made one. */
  spanId: string | undefined;
}

type TracedRequest = Request & { [TRACE_IDS]?: TraceIds };

/** For tracers: the ids of the span made for this request. */
export function recordTraceIds(req: Request, ids: TraceIds): void {
  (originalRequest(req) as TracedRequest)[TRACE_IDS] = ids;
}

// version-traceid-parentid-flags (W3C Trace Context, level 1); later versions may append fields.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(?:-|$)/;
const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);

/** The trace id of a `traceparent` header value, or undefined when it is not a valid one. */
export function traceIdFromHeader(value: string | null): string | undefined {
  if (value === null || value.length > 512) return undefined;
  const match = TRACEPARENT.exec(value);
  if (match === null || match[1] === "ff" || match[2] === ZERO_TRACE_ID || match[3] === ZERO_SPAN_ID) return undefined;
  if (match[1] === "00" && value.length !== 55) return undefined;
  return match[2];
}

/** The request's trace and span ids: the tracer's, else the incoming `traceparent`'s trace id. */
export function traceIdsOf(req: Request): TraceIds | undefined {
  const original = originalRequest(req) as TracedRequest;
  const recorded = original[TRACE_IDS];
  if (recorded !== undefined) return recorded;
  const traceId = traceIdFromHeader(req.headers.get("traceparent"));
  return traceId === undefined ? undefined : { traceId, spanId: undefined };
}
