/**
 * What a route, filter or error handler may return (docs/architecture.md, "The public
 * surface"), and how each becomes part of the response — Sinatra's `invoke`: a number is the status, a string or bytes the body,
 * `reply(status, body)` and `reply(status, headers, body)` set all three, an object or an array is
 * JSON, a Response is the response, nothing leaves the response as it was.
 *
 * An array is always JSON, never a status tuple: an array is what data from a database or a
 * request looks like, and `[301, { location: "//evil" }, ""]` stored by a user must not become a
 * redirect. Sinatra's tuple needs a form data cannot take by accident: `reply(...)`, or
 * `c.halt(status, headers, body)`.
 */
export type HandlerResult =
  | string
  | number
  | Uint8Array
  | ArrayBuffer
  | ReadableStream
  | Response
  | Reply
  | JsonObject
  | unknown[]
  | null
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing is typed `void`, and it must be accepted
  | void;

/**
 * An object answered as JSON: any object type, interfaces and classes with `toJSON` included,
 * except what JSON would silently lose or what is not a value yet: iterables such as Map and Set
 * (`JSON.stringify(new Map([[1, 2]]))` is `{}`) and promise-likes (await them).
 */
// The `any` index signature takes interfaces (an `unknown` one would not) and object literals alike.
export type JsonObject = { readonly [key: string]: any; readonly [Symbol.iterator]?: never; readonly then?: never };

/** A body on its own, as `reply(status, body)` and `halt(status, body)` take it. */
export type BodyResult = string | Uint8Array | ArrayBuffer | ReadableStream | null | undefined;
/** A reply's body: a body as above, or an object or array, sent as JSON. */
export type ReplyBody = BodyResult | JsonObject | readonly unknown[];

/** Sinatra's `[status, headers, body]`, made by `reply()`; only this, never a plain array, is a status tuple. */
export class Reply {
  readonly status: number;
  readonly headers: HeadersInit | undefined;
  readonly body: ReplyBody;

  constructor(status: number, headers: HeadersInit | undefined, body: ReplyBody) {
    this.status = checkStatus(status);
    this.headers = headers;
    this.body = body;
    Object.freeze(this);
  }
}

/**
 * `return reply(201, "created")`, `reply(202, { "retry-after": "3" }, "queued")`, or
 * `reply(404, { error: "no such order" })` (an object or array body is sent as JSON).
 */
export function reply(status: number, body?: ReplyBody): Reply;
export function reply(status: number, headers: HeadersInit, body: ReplyBody): Reply;
export function reply(status: number, ...rest: [ReplyBody?] | [HeadersInit, ReplyBody]): Reply {
  if (rest.length === 2) return new Reply(status, rest[0] as HeadersInit, rest[1] as ReplyBody);
  return new Reply(status, undefined, rest[0]);
}

/** The parts of a response a result can set; `undefined` fields are left as they were. */
export interface ResultParts {
  status?: number;
  headers?: HeadersInit;
  body?: BodyInit | null;
  /** The body came from an object or array: send JSON. */
  json?: boolean;
  response?: Response;
}

export function describeResult(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object of class ${value.constructor?.name ?? "Object"}`;
  return `a ${typeof value}`;
}

export function resultParts(result: unknown): ResultParts {
  if (result === undefined || result === null) return {};
  if (typeof result === "string") return { body: result };
  if (typeof result === "number") return { status: checkStatus(result) };
  // A plain object literal (the usual JSON answer) is none of the classes below: no need to ask.
  if (typeof result === "object" && Object.getPrototypeOf(result) === Object.prototype)
    return { body: JSON.stringify(result), json: true };
  if (result instanceof Response) return { response: result };
  if (isBody(result)) return { body: result };
  if (result instanceof Reply) return replyParts(result);
  if (Array.isArray(result)) return { body: JSON.stringify(result), json: true };
  if (typeof result === "object" && isPlainObject(result)) return { body: JSON.stringify(result), json: true };
  throw new TypeError(
    `a handler returned ${describeResult(result)}; return a string, a number (status), bytes, a stream, ` +
      "a plain object or array (JSON), reply(status, headers?, body), a Response, or nothing",
  );
}

function replyParts({ status, headers, body }: Reply): ResultParts {
  if (body === undefined || body === null) return { status, headers, body: null };
  if (typeof body === "string" || isBody(body)) return { status, headers, body: body as BodyInit };
  if (Array.isArray(body) || isPlainObject(body as object))
    return { status, headers, body: JSON.stringify(body), json: true };
  throw new TypeError(
    `the body of reply(${status}, …) is ${describeResult(body)}; use a string, bytes, a stream or JSON data`,
  );
}

function isBody(value: unknown): value is BodyInit {
  return (
    value instanceof Uint8Array ||
    value instanceof ArrayBuffer ||
    value instanceof ReadableStream ||
    value instanceof Blob
  );
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || typeof (value as { toJSON?: unknown }).toJSON === "function";
}

function checkStatus(status: number): number {
  if (!Number.isInteger(status) || status < 200 || status > 999) {
    throw new RangeError(`${status} is not an HTTP status a response can have (200-999)`);
  }
  return status;
}
