/**
 * The request body, read once and kept for the request: the form, the JSON and the raw bytes
 * all come from the same bytes, so a handler (or a filter, or an App used as middleware in front
 * of another) may read them any number of times. A Web `Request` body can be consumed only once.
 */
import { HttpError } from "./http-error.js";
import { parseQuery } from "./query.js";
import { RequestState } from "./request-state.js";

export type FormValue = string | File | FormValue[] | { [key: string]: FormValue };
export type Form = Record<string, FormValue>;

const bytesOf = new RequestState<Promise<Uint8Array>>();
const formsOf = new RequestState<{ promise: Promise<Form>; value?: Form }>();

/** The media type without parameters, lower-cased; "" when there is none. */
export function mediaTypeOf(req: Request): string {
  const contentType = req.headers.get("content-type");
  if (!contentType) return "";
  const semicolon = contentType.indexOf(";");
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/** The whole body, read on the first call. */
export function requestBytes(req: Request): Promise<Uint8Array> {
  let bytes = bytesOf.get(req);
  if (bytes === undefined) {
    bytes = req.arrayBuffer().then((buffer) => new Uint8Array(buffer));
    bytesOf.set(req, bytes);
  }
  return bytes;
}

export async function requestText(req: Request): Promise<string> {
  return new TextDecoder().decode(await requestBytes(req));
}

/**
 * A urlencoded form, which Sinatra reads into `params` before the filters: the urlencoded type,
 * or a POST with no Content-Type at all (Rack reads that as a form too; an empty body is an
 * empty form). A PUT without a type is left alone: it is usually an upload (`curl -T`).
 */
export function isUrlencodedForm(req: Request): boolean {
  const type = mediaTypeOf(req);
  return type === "application/x-www-form-urlencoded" || (type === "" && req.method === "POST");
}

/** The form (urlencoded or multipart), parsed once; another content type is a 415. */
export function requestForm(req: Request): Promise<Form> {
  let state = formsOf.get(req);
  if (state === undefined) {
    const promise = parseForm(req);
    const entry: { promise: Promise<Form>; value?: Form } = { promise };
    promise.then(
      (form) => {
        entry.value = form;
      },
      () => {},
    );
    formsOf.set(req, entry);
    state = entry;
  }
  return state.promise;
}

/** The form if it has been read and parsed already (for merging into params), else undefined. */
export function formIfRead(req: Request): Form | undefined {
  return formsOf.get(req)?.value;
}

async function parseForm(req: Request): Promise<Form> {
  const type = mediaTypeOf(req);
  if (type === "application/x-www-form-urlencoded" || type === "") return parseQuery(await requestText(req)) as Form;
  if (type === "multipart/form-data") {
    let data: FormData;
    try {
      const bytes = await requestBytes(req);
      data = await new Response(bytes as BodyInit, {
        headers: { "content-type": req.headers.get("content-type") ?? "" },
      }).formData();
    } catch (error) {
      throw new HttpError(400, "Malformed multipart form body", { cause: error });
    }
    const fields: Form = {};
    for (const [name, value] of data) {
      const previous = fields[name];
      fields[name] =
        previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
    }
    return fields;
  }
  throw new HttpError(415, `Expected a form (application/x-www-form-urlencoded or multipart/form-data), got ${type}`);
}

/**
 * The JSON body. `application/json`, any `+json` type, and no Content-Type at all are read as
 * JSON; a form or text type is a 415 (a cross-site HTML form can send those without a CORS
 * preflight, so accepting them would let other sites post JSON to the app).
 */
export async function requestJson(req: Request): Promise<unknown> {
  const type = mediaTypeOf(req);
  if (type !== "" && type !== "application/json" && !type.endsWith("+json")) {
    const hint =
      type === "application/x-www-form-urlencoded"
        ? " (curl -d sends a form; add -H 'Content-Type: application/json', or use curl --json)"
        : "";
    throw new HttpError(415, `Expected application/json, got ${type}${hint}`);
  }
  const text = await requestText(req);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `Invalid JSON body: ${(error as Error).message}`, { cause: error });
  }
}
