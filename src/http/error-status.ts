// One rule from a thrown error to the status that answers it, for every layer that catches one:
// the App's dispatch, the Node adapter, the development error page and the access log.
import { HttpError } from "./http-error.js";

/**
 * An HttpError's own status; a URIError (malformed percent-encoding in a path or capture) is a
 * 400; an error that carries a 4xx/5xx `status` or `statusCode` (as errors from other libraries
 * do) keeps it; anything else is a 500.
 */
export function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof URIError) return 400;
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" && Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}
