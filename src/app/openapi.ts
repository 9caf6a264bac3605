// An OpenAPI 3.1 document from the route table (`app.openapi()`, `frank openapi`).
//
// - Paths: each Sinatra pattern becomes the path templates it stands for (router/path-template.ts):
//   optional parts and alternatives expand into several paths, splats into a `{splat}` parameter.
//   RegExp routes, patterns that do not start with "/" and methods OpenAPI 3.1 has no field for
//   (LINK, PROPFIND …) are left out with a warning.
// - Parameters and bodies: from the route's `validate` schemas, turned into JSON Schema by the
//   `jsonSchema` setting when it answers, else by the library's own Standard JSON Schema
//   (`~standard.jsonSchema`), else `{}` with a warning. Path params without a schema are strings.
// - Responses: 200 with the `provides` types; 400/422 problem documents where the route validates.
// - The route's `openapi` option is merged last (its `responses` by status), so anything can be said.
// - Two routes on the same template and method: the first is the operation (it wins in frank too);
//   later ones add their `provides` types to its 200 response.
import { type PathTemplateParam, pathTemplates } from "../router/path-template.js";
import type { Conditions } from "./conditions.js";
import type { StandardJSONSchemaV1Props, StandardSchemaV1 } from "./standard-schema.js";
import { PROBLEM_JSON, type RouteSchemas } from "./validation.js";
import { mimeTypeFor } from "../http/mime.js";

export type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
  [field: string]: unknown;
}

/** Fields of an OpenAPI Operation Object (summary, tags, responses, security …), merged into the generated one. */
export type OpenApiOperation = Record<string, unknown>;

export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  info: OpenApiInfo;
  paths: Record<string, Record<string, OpenApiOperation>>;
};

/** `app.set("openapi", { … })`: what `app.openapi()` and `frank openapi` add to the route table. */
export interface OpenApiSettings {
  info?: Partial<OpenApiInfo>;
  servers?: Array<{ url: string; description?: string }>;
  /** Top-level fields merged into the document last (`components`, `security`, `tags` …). */
  document?: Record<string, unknown>;
  /**
   * JSON Schema for a schema, for libraries without Standard JSON Schema or to override it:
   * `(schema) => schema["~standard"].vendor === "valibot" ? toJsonSchema(schema) : undefined`.
   * `undefined` falls back to the library's own `~standard.jsonSchema`.
   */
  jsonSchema?: (schema: StandardSchemaV1, context: { io: "input" | "output" }) => object | undefined; // converters type their schemas as interfaces
}

export interface OpenApiRoute {
  method: string;
  pattern: string | RegExp;
  conditions: Conditions | undefined;
}

export const OPENAPI_VERSION = "3.1.1";
const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]); // OpenAPI ignores these as parameters
const PROBLEM_SCHEMA = "ValidationProblem";

/** The document and what could not be said in it (one line each, naming the route). */
export function openApiDocument(
  routes: readonly OpenApiRoute[],
  settings: OpenApiSettings = {},
): { document: OpenApiDocument; warnings: string[] } {
  const builder = new DocumentBuilder(settings);
  for (const route of routes) builder.add(route);
  return { document: builder.document(), warnings: builder.warnings };
}

class DocumentBuilder {
  readonly warnings: string[] = [];
  readonly #settings: OpenApiSettings;
  readonly #paths: Record<string, Record<string, OpenApiOperation>> = {};
  /** "/users/{}" → "/users/{id}": OpenAPI forbids two templates that differ only in names. */
  readonly #shapes = new Map<string, string>();
  readonly #schemas: Record<string, JsonSchema> = {};
  readonly #operationIds = new Set<string>();

  constructor(settings: OpenApiSettings) {
    this.#settings = settings;
  }

  add(route: OpenApiRoute): void {
    const where = `${route.method} ${String(route.pattern)}`;
    const method = route.method.toLowerCase();
    const templates = !METHODS.has(method)
      ? `OpenAPI 3.1 has no field for ${route.method}`
      : route.pattern instanceof RegExp
        ? "a RegExp route has no OpenAPI path template"
        : pathTemplates(route.pattern);
    if (typeof templates === "string") {
      this.#warn(`${where}: ${templates}; left out`);
      return;
    }

    for (const template of templates) {
      const shape = template.path.replace(/\{[^}]*\}/g, "{}");
      const known = this.#shapes.get(shape);
      if (known !== undefined && known !== template.path) {
        this.#warn(`${where}: ${template.path} differs from ${known} only in parameter names; left out`);
        continue;
      }
      this.#shapes.set(shape, template.path);
      const item = (this.#paths[template.path] ??= {});
      const existing = item[method];
      if (existing) this.#addProvides(existing, route.conditions);
      else item[method] = this.#operation(route, method, template.path, template.params, where);
    }
  }

  document(): OpenApiDocument {
    const settings = this.#settings;
    const { components: givenComponents, ...extra } = settings.document ?? {};
    const document: OpenApiDocument = {
      openapi: OPENAPI_VERSION,
      info: { title: "frank app", version: "0.0.0", ...settings.info },
      ...(settings.servers ? { servers: settings.servers } : {}),
      paths: this.#paths,
      ...extra,
    };
    const generated = Object.keys(this.#schemas).length > 0 ? { schemas: this.#schemas } : undefined;
    const given = givenComponents as Record<string, Record<string, unknown>> | undefined;
    if (generated || given) document.components = mergeComponents(generated ?? {}, given ?? {});
    return document;
  }

  #operation(
    route: OpenApiRoute,
    method: string,
    path: string,
    params: readonly PathTemplateParam[],
    where: string,
  ): OpenApiOperation {
    const schemas: RouteSchemas = route.conditions?.validate ?? {};
    const parameters: Record<string, unknown>[] = [];

    const paramSchema = schemas.params && this.#jsonSchema(schemas.params, where, "params");
    for (const param of params) {
      const property = propertyOf(paramSchema, param.capture);
      parameters.push({
        name: param.name,
        in: "path",
        required: true,
        schema: param.splat || property === undefined || property.type === "array" ? { type: "string" } : property,
        ...(param.splat ? { description: "Any characters, '/' included (percent-encoded in the path)" } : {}),
      });
    }
    for (const [target, location] of [
      ["query", "query"],
      ["headers", "header"],
    ] as const) {
      const schema = schemas[target] && this.#jsonSchema(schemas[target], where, target);
      if (schema === undefined) continue;
      const properties = schema.properties as Record<string, JsonSchema> | undefined;
      if (schema.type !== "object" || properties === undefined) {
        this.#warn(`${where}: the ${target} schema is not an object with properties; its parameters are left out`);
        continue;
      }
      const required = new Set((schema.required as string[] | undefined) ?? []);
      for (const [name, property] of Object.entries(properties)) {
        if (location === "header" && IGNORED_HEADERS.has(name.toLowerCase())) continue;
        parameters.push({
          name,
          in: location,
          required: required.has(name),
          schema: property,
          // Rack's nesting (`filter[kind]=a`) is OpenAPI's deepObject style.
          ...(location === "query" && property.type === "object" ? { style: "deepObject", explode: true } : {}),
        });
      }
    }

    const operation: OpenApiOperation = { operationId: this.#operationId(method, path) };
    if (parameters.length > 0) operation.parameters = parameters;
    if (schemas.json) {
      const schema = this.#jsonSchema(schemas.json, where, "json");
      operation.requestBody = { required: true, content: { "application/json": { schema } } };
    } else if (schemas.form) {
      const schema = this.#jsonSchema(schemas.form, where, "form");
      operation.requestBody = {
        required: true,
        content: { "application/x-www-form-urlencoded": { schema }, "multipart/form-data": { schema } },
      };
    }

    const responses: Record<string, unknown> = { "200": { description: "OK" } };
    const validatesHead = schemas.params || schemas.query || schemas.headers;
    if (validatesHead || schemas.json) responses["400"] = this.#problemResponse("The request is malformed");
    if (schemas.json || schemas.form) responses["422"] = this.#problemResponse("The body does not match its schema");
    operation.responses = responses;
    this.#addProvides(operation, route.conditions);

    const { responses: extraResponses, ...extra } = (route.conditions?.openapi ?? {}) as OpenApiOperation;
    Object.assign(operation, extra);
    if (extraResponses) Object.assign(responses, extraResponses);
    if (typeof operation.operationId === "string") this.#operationIds.add(operation.operationId);
    return operation;
  }

  /** `provides` types become the 200 response's content. */
  #addProvides(operation: OpenApiOperation, conditions: Conditions | undefined): void {
    const provides = conditions?.provides;
    if (provides === undefined) return;
    const ok = (operation.responses as Record<string, { content?: Record<string, unknown> }>)["200"];
    if (ok === undefined) return;
    for (const type of typeof provides === "string" ? [provides] : provides) {
      const full = type.includes("/") ? type : mimeTypeFor(type);
      if (full) (ok.content ??= {})[full] ??= {};
    }
  }

  #problemResponse(description: string): Record<string, unknown> {
    this.#schemas[PROBLEM_SCHEMA] ??= structuredClone(PROBLEM_DOCUMENT_SCHEMA);
    return { description, content: { [PROBLEM_JSON]: { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA}` } } } };
  }

  #operationId(method: string, path: string): string {
    const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
    const base = method + words.map((word) => word[0].toUpperCase() + word.slice(1)).join("");
    let id = base;
    for (let n = 2; this.#operationIds.has(id); n++) id = `${base}${n}`;
    this.#operationIds.add(id);
    return id;
  }

  /** A request schema (what the client sends: the library's input side) as JSON Schema, `{}` when unknown. */
  #jsonSchema(schema: StandardSchemaV1, where: string, target: string): JsonSchema {
    const props = schema["~standard"] as StandardSchemaV1.Props & Partial<StandardJSONSchemaV1Props>;
    let json: JsonSchema | undefined;
    try {
      json = this.#settings.jsonSchema?.(schema, { io: "input" }) as JsonSchema | undefined;
      if (json === undefined && typeof props.jsonSchema?.input === "function") {
        json = props.jsonSchema.input({ target: "draft-2020-12" });
      }
    } catch (error) {
      this.#warn(`${where}: the ${props.vendor} schema of ${target} could not become JSON Schema: ${String(error)}`);
      return {};
    }
    if (json === undefined) {
      this.#warn(
        `${where}: the ${props.vendor} schema of ${target} has no JSON Schema; ` +
          'give one with app.set("openapi", { jsonSchema }) or a library with Standard JSON Schema',
      );
      return {};
    }
    return this.#hoistDefinitions(json);
  }

  /**
   * Definitions inside a schema (`$defs`, `$ref: "#"` for recursion) would point at the document's
   * root once embedded; they move to `components/schemas` and their references follow.
   */
  #hoistDefinitions(json: JsonSchema): JsonSchema {
    const { $schema: _dialect, $defs, ...schema } = json;
    const renames = new Map<string, string>();
    const defs = ($defs ?? {}) as Record<string, JsonSchema>;
    for (const name of Object.keys(defs)) renames.set(`#/$defs/${name}`, this.#componentName(name));
    let root: string | undefined;
    if (containsRef(schema, "#") || Object.values(defs).some((def) => containsRef(def, "#"))) {
      root = this.#componentName("Schema");
      renames.set("#", root);
    }
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (typeof value !== "object" || value === null) return value;
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) {
        const target = key === "$ref" && typeof inner === "string" ? renames.get(inner) : undefined;
        out[key] = target ? `#/components/schemas/${target}` : rewrite(inner);
      }
      return out;
    };
    for (const [name, def] of Object.entries(defs))
      this.#schemas[renames.get(`#/$defs/${name}`)!] = rewrite(def) as JsonSchema;
    const rewritten = rewrite(schema) as JsonSchema;
    if (root === undefined) return rewritten;
    this.#schemas[root] = rewritten;
    return { $ref: `#/components/schemas/${root}` };
  }

  #componentName(wanted: string): string {
    const base = wanted.replace(/[^A-Za-z0-9._-]/g, "_") || "Schema";
    let name = base;
    for (let n = 2; name in this.#schemas || name === PROBLEM_SCHEMA; n++) name = `${base}${n}`;
    this.#schemas[name] = {}; // reserved until filled
    return name;
  }

  #warn(message: string): void {
    this.warnings.push(message);
  }
}

function propertyOf(schema: JsonSchema | undefined, name: string): JsonSchema | undefined {
  const properties = schema?.properties as Record<string, JsonSchema> | undefined;
  return properties?.[name];
}

function containsRef(value: unknown, ref: string): boolean {
  if (Array.isArray(value)) return value.some((item) => containsRef(item, ref));
  if (typeof value !== "object" || value === null) return false;
  for (const [key, inner] of Object.entries(value)) {
    if (key === "$ref" ? inner === ref : containsRef(inner, ref)) return true;
  }
  return false;
}

function mergeComponents(
  generated: Record<string, Record<string, unknown>>,
  given: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...generated, ...given };
  for (const key of Object.keys(generated)) if (given[key]) merged[key] = { ...generated[key], ...given[key] };
  return merged;
}

/** The problem+json body of a failed validation (validation.ts), as JSON Schema. */
const PROBLEM_DOCUMENT_SCHEMA: JsonSchema = {
  type: "object",
  description: "An RFC 9457 problem document listing what did not match the route's schemas",
  required: ["type", "title", "status", "detail", "issues"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    issues: {
      type: "array",
      items: {
        type: "object",
        required: ["in", "path", "message"],
        properties: {
          in: { enum: ["params", "headers", "query", "json", "form"] },
          path: { type: "array", items: { type: ["string", "integer"] } },
          message: { type: "string" },
        },
      },
    },
  },
};
