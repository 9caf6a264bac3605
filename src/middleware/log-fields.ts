import { traceIdsOf } from "../http/trace-ids.js";
import { getRequestId } from "./request-id.js";

/** The ids that tie a log line to its request and its trace, under the access log's names. */
export interface RequestLogFields {
  request_id?: string;
  trace_id?: string;
  span_id?: string;
}

/**
 * The request id and trace ids of a request, for any logger a handler writes with, so its lines
 * join the access-log line and the trace of the same request:
 * `logger.child(requestLogFields(c.req)).info("charged")` with pino, or spread into a JSON line.
 * The request id is there while the access log (or requestId()) runs; the trace ids while a
 * tracer (frank/otel) makes spans, else the trace id of an incoming `traceparent`.
 */
export function requestLogFields(req: Request): RequestLogFields {
  const fields: RequestLogFields = {};
  const requestId = getRequestId(req);
  if (requestId !== undefined) fields.request_id = requestId;
  const trace = traceIdsOf(req);
  if (trace !== undefined) {
    fields.trace_id = trace.traceId;
    if (trace.spanId !== undefined) fields.span_id = trace.spanId;
  }
  return fields;
}
