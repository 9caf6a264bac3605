// One rule from an error to its status and its production page, shared by the dispatch and the App.
import { escapeHtml } from "../http/escape-html.js";
import { HttpError, statusText } from "../http/http-error.js";

/** No route matched. */
export class NotFound extends HttpError {
  constructor() {
    super(404);
    this.name = "NotFound";
  }
}

// One shared instance: a miss is common (scanners, typos) and a stack trace per miss is costly.
// It is handed to the error handlers, never thrown.
export const ROUTE_NOT_FOUND = new NotFound();

const statusPages = new Map<number, string>();

/** Sinatra's terse production page for a status ("<h1>Not Found</h1>"), built once per status. */
export function statusPage(status: number): string {
  let page = statusPages.get(status);
  if (page === undefined) statusPages.set(status, (page = `<h1>${escapeHtml(statusText(status))}</h1>`));
  return page;
}

/** The answer when frank itself fails (a bug, a middleware that throws): a 500, never a hung request. */
export function internalServerError(): Response {
  return new Response(statusPage(500), { status: 500, headers: { "content-type": "text/html;charset=utf-8" } });
}

export function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof URIError) return 400; // malformed percent-encoding in a path or capture
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" && status >= 400 && status <= 599 ? status : 500;
}
