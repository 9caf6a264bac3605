// Route validation with any Standard Schema library: `app.post("/users", { validate: { json: User } }, h)`.
//
// The route's conditions choose the route; its schemas then check the request before the handler
// runs, and the handler reads the typed results from `c.valid`. Params, headers and the query are
// checked first (a failure is a 400 and the body is not read); then the JSON or form body (a
// well-formed body that fails its schema is a 422). Either answer is an RFC 9457 problem
// document listing every issue; `app.error(ValidationError, h)` or `app.error(422, h)` replaces it.
import { HttpError, statusText } from "../http/http-error.js";
import type { MaybePromise } from "./maybe-async.js";
import type { StandardSchemaV1 } from "./standard-schema.js";

/** The parts of a request a route can validate, each with its own schema. */
export interface RouteSchemas {
  /** The route params (strings, or arrays for splats): coerce numbers in the schema. */
  params?: StandardSchemaV1;
  /** The parsed query (Rack's nesting: `a[b]=1`). Values are strings. */
  query?: StandardSchemaV1;
  /** Request headers as an object of lower-case names. */
  headers?: StandardSchemaV1;
  /** The JSON body, as `c.json()` reads it (a wrong content type is a 415, invalid JSON a 400). */
  json?: StandardSchemaV1;
  /** The urlencoded or multipart form, as `c.form()` reads it. */
  form?: StandardSchemaV1;
}

export type ValidTarget = keyof RouteSchemas;

/** `c.valid` of a route with these schemas: each target's output type. */
export type Validated<S> = {
  readonly [K in keyof S & ValidTarget]: S[K] extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S[K]> : never;
};

/** `c.valid` where nothing was validated: every target may be read, none is known. */
export type ValidData = { readonly [K in ValidTarget]?: unknown };

/** One issue of a problem document: which part of the request, where in it, and what is wrong. */
export interface ProblemIssue {
  in: ValidTarget;
  path: Array<string | number>;
  message: string;
}

/** An RFC 9457 problem document, as frank answers a failed validation. */
export interface ValidationProblem {
  type: "about:blank";
  title: string;
  status: number;
  detail: string;
  issues: ProblemIssue[];
}

export const PROBLEM_JSON = "application/problem+json";

/** A request that failed its route's schemas: 400 (params, headers, query) or 422 (body). */
export class ValidationError extends HttpError {
  readonly issues: readonly ProblemIssue[];

  constructor(status: 400 | 422, issues: ProblemIssue[]) {
    const parts = [...new Set(issues.map((issue) => issue.in))].join(", ");
    super(status, `The request's ${parts} did not match the route's schema`, { expose: true });
    this.name = "ValidationError";
    this.issues = issues;
  }

  /** The problem+json body frank answers with when no error handler takes this error. */
  problem(): ValidationProblem {
    return {
      type: "about:blank",
      title: statusText(this.status),
      status: this.status,
      detail: this.message,
      issues: [...this.issues],
    };
  }
}

/** What a route's validation needs of its Context (kept narrow: this file does not import context.ts). */
export interface ValidatedRequest {
  readonly req: Request;
  readonly params: unknown;
  readonly query: unknown;
  json(): Promise<unknown>;
  form(): Promise<Record<string, unknown>>;
  valid: ValidData;
}

export interface Validation {
  readonly schemas: Readonly<RouteSchemas>;
  /** Checks the request and sets `c.valid`, or throws a ValidationError; synchronous when the schemas are. */
  run(c: ValidatedRequest): MaybePromise<void>;
}

const TARGETS: readonly ValidTarget[] = ["params", "headers", "query", "json", "form"];
const HEAD_TARGETS = ["params", "headers", "query"] as const;

/** Checks the schemas once, when the route is defined, and returns what runs per request. */
export function compileValidation(schemas: RouteSchemas, where: string): Validation {
  if (typeof schemas !== "object" || schemas === null) throw new TypeError(`${where}: validate must be an object`);
  for (const [target, schema] of Object.entries(schemas)) {
    if (!TARGETS.includes(target as ValidTarget)) {
      throw new TypeError(`${where}: validate.${target} is not a part of the request (use ${TARGETS.join(", ")})`);
    }
    if (schema !== undefined && !isStandardSchema(schema)) {
      throw new TypeError(
        `${where}: validate.${target} is not a Standard Schema (zod, valibot, arktype … implement "~standard")`,
      );
    }
  }
  if (schemas.json && schemas.form) {
    throw new TypeError(`${where}: validate has both json and form; a request has one body`);
  }
  const head = HEAD_TARGETS.filter((target) => schemas[target] !== undefined).map(
    (target) => [target, schemas[target] as StandardSchemaV1] as const,
  );
  const bodyTarget = schemas.json ? "json" : schemas.form ? "form" : undefined;
  const bodySchema = bodyTarget && (schemas[bodyTarget] as StandardSchemaV1);

  return {
    schemas: Object.freeze({ ...schemas }),
    run(c) {
      const valid: Record<string, unknown> = {};
      const issues: ProblemIssue[] = [];
      let pending: Promise<unknown>[] | undefined;
      for (const [target, schema] of head) {
        const result = schema["~standard"].validate(readPart(c, target));
        if (isPromise(result)) (pending ??= []).push(result.then((r) => settle(target, r, valid, issues)));
        else settle(target, result, valid, issues);
      }
      const afterHead = (): MaybePromise<void> => {
        if (issues.length > 0) throw new ValidationError(400, inTargetOrder(issues));
        if (bodyTarget === undefined) {
          c.valid = valid;
          return;
        }
        return (bodyTarget === "json" ? c.json() : c.form())
          .then((body) => bodySchema!["~standard"].validate(body))
          .then((result) => {
            settle(bodyTarget, result, valid, issues);
            if (issues.length > 0) throw new ValidationError(422, issues);
            c.valid = valid;
          });
      };
      return pending === undefined ? afterHead() : Promise.all(pending).then(afterHead);
    },
  };
}

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  const props = (value as { "~standard"?: { version?: unknown; validate?: unknown } } | null)?.["~standard"];
  return typeof props === "object" && props !== null && props.version === 1 && typeof props.validate === "function";
}

function readPart(c: ValidatedRequest, target: (typeof HEAD_TARGETS)[number]): unknown {
  if (target === "params") return c.params;
  if (target === "query") return c.query;
  const headers: Record<string, string> = {};
  c.req.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

function settle(
  target: ValidTarget,
  result: StandardSchemaV1.Result<unknown>,
  valid: Record<string, unknown>,
  issues: ProblemIssue[],
): void {
  if (result.issues === undefined) {
    valid[target] = result.value;
    return;
  }
  for (const issue of result.issues) {
    issues.push({ in: target, path: (issue.path ?? []).map(pathKey), message: issue.message });
  }
}

function pathKey(segment: PropertyKey | StandardSchemaV1.PathSegment): string | number {
  const key = typeof segment === "object" ? segment.key : segment;
  return typeof key === "symbol" ? (key.description ?? "") : key;
}

/** Schemas that answered asynchronously may finish in any order; the problem lists issues by part. */
function inTargetOrder(issues: ProblemIssue[]): ProblemIssue[] {
  return issues.sort((a, b) => TARGETS.indexOf(a.in) - TARGETS.indexOf(b.in));
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
