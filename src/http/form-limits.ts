import { requireByteSize } from "./byte-size.js";
import { HttpError } from "./http-error.js";

/**
 * What one form may hold. Sizes are bytes or text with a unit ("10mb"). The request body as a
 * whole is capped by the server's maxBodySize (a route may raise it), so a file has no size
 * limit of its own unless given one here.
 */
export interface FormLimits {
  /** Largest file (default: only the body limit). */
  maxFileSize?: number | string;
  /** Most files in one form (default 20). */
  maxFiles?: number;
  /** Most fields that are not files (default 1000, as for query strings). */
  maxFields?: number;
  /** Largest field value (default 1 MiB). */
  maxFieldSize?: number | string;
  /** Longest field name, in bytes (default 256). */
  maxFieldNameSize?: number | string;
  /** Most parts, files and fields together (default: maxFiles + maxFields). */
  maxParts?: number;
}

export interface ResolvedFormLimits {
  maxFileSize: number;
  maxFiles: number;
  maxFields: number;
  maxFieldSize: number;
  maxFieldNameSize: number;
  maxParts: number;
}

export const DEFAULT_FORM_LIMITS: Readonly<Omit<ResolvedFormLimits, "maxParts">> = {
  maxFileSize: Number.POSITIVE_INFINITY,
  maxFiles: 20,
  maxFields: 1000,
  maxFieldSize: 1024 * 1024,
  maxFieldNameSize: 256,
};

function count(raw: unknown, name: string): number {
  if (raw === Number.POSITIVE_INFINITY || (typeof raw === "number" && Number.isInteger(raw) && raw >= 0)) return raw;
  throw new TypeError(`${name} is ${JSON.stringify(raw)}, which is not a count (a whole number, 0 or more)`);
}

/** Limits with every default filled in, later objects overriding earlier ones; a wrong value throws a TypeError that names it. */
export function resolveFormLimits(...layers: Array<FormLimits | undefined>): ResolvedFormLimits {
  const merged: FormLimits = Object.assign({}, ...layers.filter(Boolean));
  const limits = { ...DEFAULT_FORM_LIMITS, maxParts: 0 };
  if (merged.maxFileSize !== undefined) limits.maxFileSize = requireByteSize(merged.maxFileSize, "maxFileSize");
  if (merged.maxFiles !== undefined) limits.maxFiles = count(merged.maxFiles, "maxFiles");
  if (merged.maxFields !== undefined) limits.maxFields = count(merged.maxFields, "maxFields");
  if (merged.maxFieldSize !== undefined) limits.maxFieldSize = requireByteSize(merged.maxFieldSize, "maxFieldSize");
  if (merged.maxFieldNameSize !== undefined)
    limits.maxFieldNameSize = requireByteSize(merged.maxFieldNameSize, "maxFieldNameSize");
  limits.maxParts =
    merged.maxParts !== undefined ? count(merged.maxParts, "maxParts") : limits.maxFiles + limits.maxFields;
  return limits;
}

/** A form over one of its limits: 413, naming the limit, so the fix is obvious. */
export function formLimitExceeded(what: string, limit: keyof ResolvedFormLimits, value: number): HttpError {
  return new HttpError(413, `Content Too Large: ${what} (${limit} is ${value})`);
}

/** A field name within maxFieldNameSize, or a 413. */
export function checkFieldName(name: string, limits: ResolvedFormLimits): void {
  if (name.length > limits.maxFieldNameSize || Buffer.byteLength(name) > limits.maxFieldNameSize) {
    throw formLimitExceeded(
      `a field name is ${Buffer.byteLength(name)} bytes long`,
      "maxFieldNameSize",
      limits.maxFieldNameSize,
    );
  }
}
