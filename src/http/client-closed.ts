import { HttpError } from "./http-error.js";

/**
 * The client went away before its request body was complete. Nobody is left to read an answer,
 * and nothing is wrong with the server: status 499 (nginx's "client closed request"), logged as
 * a client's doing, never as a server error with a stack.
 */
export class ClientClosedRequest extends HttpError {
  constructor(options: { cause?: unknown } = {}) {
    super(499, "the client closed the connection before the request body was complete", {
      cause: options.cause,
      expose: false,
    });
    this.name = "ClientClosedRequest";
  }
}
