// A whole form, urlencoded or multipart, as one nested object: `c.form()`'s parser. Files are
// written to a folder of their own under the upload folder as they arrive (the request body is
// never held in memory), handed over as UploadedFile objects, and removed by dispose() — or at
// once when the body fails half-way (a limit, a client that went away).
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  checkFieldName,
  type FormLimits,
  formLimitExceeded,
  resolveFormLimits,
  type ResolvedFormLimits,
} from "./form-limits.js";
import { HttpError } from "./http-error.js";
import { parseMultipart } from "./multipart.js";
import { type Fields, nestFields } from "./nest-fields.js";
import { UploadedFile } from "./uploaded-file.js";

export type FormFields = Fields<UploadedFile>;

export interface FormOptions {
  /** The limits of this form (resolved over frank's defaults). */
  limits?: FormLimits | ResolvedFormLimits;
  /** Where upload folders are made; default: the system's temporary folder. */
  uploadDir?: string;
}

export interface ParsedForm {
  /** Fields nested by name (null-prototype objects), files as UploadedFile. */
  fields: FormFields;
  /** Every file, in the order the parts arrived. */
  files: UploadedFile[];
  /** Removes the files from disk; safe to call more than once. */
  dispose(): Promise<void>;
}

export const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"] as const;

/** The media type of a Content-Type value, lower case, without parameters. */
export function mediaTypeOf(contentType: string | null): string {
  if (!contentType) return "";
  const semicolon = contentType.indexOf(";");
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

const nothingToDispose = async () => {};

/**
 * Reads a urlencoded or multipart form. Another content type is a 415, a limit a 413, a
 * malformed body a 400; the body stream's own error (the server's 413, a client that went away)
 * comes through as it is.
 */
export async function readForm(req: Request, options: FormOptions = {}): Promise<ParsedForm> {
  const type = mediaTypeOf(req.headers.get("content-type"));
  const limits = resolveFormLimits(options.limits);
  if (type === "application/x-www-form-urlencoded") {
    return { fields: urlencodedForm(await req.text(), limits), files: [], dispose: nothingToDispose };
  }
  if (type === "multipart/form-data") return readMultipartForm(req, limits, options.uploadDir ?? tmpdir());
  throw new HttpError(
    415,
    `Expected a form (application/x-www-form-urlencoded or multipart/form-data), got ${type || "no content type"}`,
  );
}

function decodeComponent(text: string): string {
  if (!text.includes("%") && !text.includes("+")) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw new HttpError(400, "Invalid form: malformed percent-encoding");
  }
}

/** A urlencoded body as fields nested by name, within the limits. */
export function urlencodedForm(body: string, limits: ResolvedFormLimits): FormFields {
  return nestFields(urlencodedPairs(body, limits));
}

/** `a=1&b=2` as decoded pairs, within the field limits. */
export function urlencodedPairs(body: string, limits: ResolvedFormLimits): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (body === "") return pairs;
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    if (pairs.length === limits.maxFields) {
      throw formLimitExceeded("the form has too many fields", "maxFields", limits.maxFields);
    }
    const eq = pair.indexOf("=");
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decodeComponent(pair.slice(eq + 1));
    checkFieldName(name, limits);
    if (Buffer.byteLength(value) > limits.maxFieldSize) {
      throw formLimitExceeded(`field "${name}" is too long`, "maxFieldSize", limits.maxFieldSize);
    }
    pairs.push([name, value]);
  }
  return pairs;
}

async function readMultipartForm(req: Request, limits: ResolvedFormLimits, uploadDir: string): Promise<ParsedForm> {
  const entries: Array<[string, string | UploadedFile]> = [];
  const writes: Promise<unknown>[] = [];
  let folder: Promise<string> | undefined;
  let count = 0;
  const dispose = async () => {
    const made = folder;
    folder = undefined;
    if (made) await rm(await made, { recursive: true, force: true });
  };

  try {
    await parseMultipart(req, limits, {
      onField: (name, value) => {
        entries.push([name, value]);
      },
      onFile: (name, stream, info) => {
        const entry: [string, string | UploadedFile] = [name, ""];
        entries.push(entry);
        const written = (async () => {
          folder ??= mkdtemp(join(uploadDir, "frank-upload-"));
          const path = join(await folder, String(++count));
          // The client's file name never reaches the file system: it could be anything.
          await pipeline(stream, createWriteStream(path, { flags: "wx", mode: 0o600 }));
          entry[1] = await UploadedFile.open(path, { ...info, field: name });
        })();
        writes.push(written);
        return written;
      },
    });
    const files = entries.map(([, value]) => value).filter((value) => value instanceof UploadedFile);
    return { fields: nestFields(entries), files, dispose };
  } catch (error) {
    // Every write has stopped (its stream was destroyed) before the folder goes.
    await Promise.allSettled(writes);
    await dispose();
    throw error;
  }
}
