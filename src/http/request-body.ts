/**
 * The request body, read once and kept for the request: the form, the JSON and the raw bytes
 * all come from the same bytes, so a handler (or a filter, or an App used as middleware in front
 * of another) may read them any number of times. A Web `Request` body can be consumed only once.
 */
import { type FormFields, type FormOptions, type ParsedForm, readForm, urlencodedForm } from "./form.js";
import { resolveFormLimits } from "./form-limits.js";
import { HttpError } from "./http-error.js";
import type { FieldValue } from "./nest-fields.js";
import { RequestState } from "./request-state.js";
import type { UploadedFile } from "./uploaded-file.js";

export type FormValue = FieldValue<UploadedFile>;
export type Form = FormFields;

const bytesOf = new RequestState<Promise<Uint8Array>>();
interface FormState {
  promise: Promise<ParsedForm>;
  value?: Form;
  /** The limits it was parsed with, as text: a urlencoded form asked for with others is parsed again. */
  limits: string;
}

const formsOf = new RequestState<FormState>();

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

/**
 * The form (urlencoded or multipart), parsed once by http/form.ts with `options` (limits,
 * upload folder) from the first call; another content type is a 415. A multipart body is parsed
 * as it streams in, files to disk, unless the body was already read whole (then from those bytes).
 */
export function parsedRequestForm(req: Request, options: FormOptions = {}): Promise<ParsedForm> {
  let state = formsOf.get(req);
  const limits = JSON.stringify(resolveFormLimits(options.limits));
  // A urlencoded body is in memory: other limits (a route's own, stricter or wider) get their
  // own parse; the first one stays what c.params hold. A multipart body streamed past once.
  if (state !== undefined && state.limits !== limits && isUrlencodedType(req)) return parseForm(req, options);
  if (state === undefined) {
    const promise = parseForm(req, options);
    const entry: FormState = { promise, limits };
    promise.then(
      (form) => {
        entry.value = form.fields;
      },
      () => {},
    );
    formsOf.set(req, entry);
    state = entry;
  }
  return state.promise;
}

/** The form's fields, parsed once (see parsedRequestForm). */
export function requestForm(req: Request, options?: FormOptions): Promise<Form> {
  return parsedRequestForm(req, options).then((form) => form.fields);
}

/** The form if it has been read and parsed already (for merging into params), else undefined. */
export function formIfRead(req: Request): Form | undefined {
  return formsOf.get(req)?.value;
}

function isUrlencodedType(req: Request): boolean {
  const type = mediaTypeOf(req);
  return type === "" || type === "application/x-www-form-urlencoded";
}

async function parseForm(req: Request, options: FormOptions): Promise<ParsedForm> {
  const type = mediaTypeOf(req);
  if (isUrlencodedType(req)) {
    const fields = urlencodedForm(await requestText(req), resolveFormLimits(options.limits));
    return { fields, files: [], dispose: async () => {} };
  }
  const bytes = bytesOf.get(req);
  if (bytes === undefined || type !== "multipart/form-data") return readForm(req, options);
  // The body was read whole already (c.body()): the same parse, from those bytes.
  const whole = await bytes;
  return readForm(new Request(req.url, { method: "POST", headers: req.headers, body: whole as BodyInit }), options);
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
