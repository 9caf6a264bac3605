// What the dispatch answers for errors: NotFound, Sinatra's terse status pages and the 500 of last
// resort. An error's status comes from http/error-status.ts, the rule every layer shares.
import { escapeHtml } from "../http/escape-html.js";
import { HttpError, statusText } from "../http/http-error.js";

export { statusOf } from "../http/error-status.js";

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

/** Sinatra's terse page as a whole answer, for errors outside a route (a middleware that throws). */
export function statusResponse(status: number): Response {
  return new Response(statusPage(status), { status, headers: { "content-type": "text/html;charset=utf-8" } });
}

/** The answer when frank itself fails (a bug): a 500, never a hung request. */
export function internalServerError(): Response {
  return statusResponse(500);
}
