import type { Middleware } from "../http/types.js";
import { setBufferedHeader } from "../http/buffered-response.js";
import { RequestState } from "../http/request-state.js";
import { randomUuid } from "./random-uuid.js";
import { editHeaders } from "./response-headers.js";

export interface RequestIdOptions {
  /** The header read from the request and echoed in the response. Default `X-Request-Id`. */
  header?: string;
  /** Makes a new id. Default: a random (version 4) UUID. */
  generate?: () => string;
}

// An id from a proxy (nginx $request_id, Heroku, a load balancer) is kept when it is
// short and made of token characters, so it cannot smuggle text into logs or headers.
const SANE_ID = /^[A-Za-z0-9._~:+/=@-]{1,128}$/;

const ids = new RequestState<string>();

/**
 * Takes a sane incoming request id or makes one, makes it available to the handler
 * through getRequestId(req), and echoes it in the response.
 */
export function requestId(options: RequestIdOptions = {}): Middleware {
  const header = options.header ?? "X-Request-Id";
  const lowerCaseHeader = header.toLowerCase();
  const generate = options.generate ?? randomUuid;
  // A buffered response (a frank App's usual answer) takes the header as a plain value; making
  // it a real Response just to set one header would cost more than the rest of the request.
  const echo = (res: Response, id: string): Response =>
    setBufferedHeader(res, lowerCaseHeader, id) ? res : editHeaders(res, (headers) => headers.set(header, id));
  // Synchronous while the handler is: no promise and no microtask turn per request.
  return (next) => (req) => {
    const incoming = req.headers.get(header);
    const id = incoming !== null && SANE_ID.test(incoming) ? incoming : generate();
    ids.set(req, id);
    const res = next(req);
    return res instanceof Promise ? res.then((answer) => echo(answer, id)) : echo(res, id);
  };
}

/** The id requestId() assigned to this request (undefined when it is not in use). */
export function getRequestId(req: Request): string | undefined {
  return ids.get(req);
}
