/**
 * What a route, filter or error handler may return (docs/architecture.md, "The public surface"),
 * and how each becomes part of the response — Sinatra's `invoke`: a number is the status, a
 * string or bytes the body, `[status, body]` and `[status, headers, body]` set all three, an
 * object is JSON, a Response is the response, nothing leaves the response as it was.
 */
export type HandlerResult =
  | string
  | number
  | Uint8Array
  | ArrayBuffer
  | ReadableStream
  | Response
  | JsonObject
  | unknown[]
  | [number, BodyResult]
  | [number, HeadersInit, BodyResult]
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

/** A body on its own, as `[status, body]` and `halt(status, body)` take it. */
export type BodyResult = string | Uint8Array | ArrayBuffer | ReadableStream | null | undefined;

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
  if (Array.isArray(result)) {
    // Sinatra's tuples: an array whose first element is a status. [1, 2] stays JSON.
    if (isStatus(result[0]) && (result.length === 2 || result.length === 3)) {
      const body = result[result.length - 1];
      if (body !== undefined && body !== null && typeof body !== "string" && !isBody(body)) {
        throw new TypeError(
          `the body in [status, ..., body] is ${describeResult(body)}; use a string, bytes or a stream`,
        );
      }
      return {
        status: checkStatus(result[0]),
        headers: result.length === 3 ? (result[1] as HeadersInit) : undefined,
        body: (body ?? null) as BodyInit | null,
      };
    }
    return { body: JSON.stringify(result), json: true };
  }
  if (typeof result === "object" && isPlainObject(result)) return { body: JSON.stringify(result), json: true };
  throw new TypeError(
    `a handler returned ${describeResult(result)}; return a string, a number (status), bytes, a stream, ` +
      "a plain object (JSON), [status, body], [status, headers, body], a Response, or nothing",
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

function isStatus(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 200 && value <= 999;
}

function checkStatus(status: number): number {
  if (!Number.isInteger(status) || status < 200 || status > 999) {
    throw new RangeError(`${status} is not an HTTP status a response can have (200-999)`);
  }
  return status;
}
