// The OpenAPI document of a route table, checked against the official OpenAPI 3.1 schema (through
// @seriousme/openapi-schema-validator, which ships it) and every Schema Object against the JSON
// Schema 2020-12 meta-schema (Ajv), with every $ref resolved.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { toJsonSchema, toStandardJsonSchema } from "@valibot/to-json-schema";
import { Ajv2020 } from "ajv/dist/2020.js";
import * as v from "valibot";
import * as z from "zod";
import { App } from "./app.js";
import { type OpenApiDocument, openApiDocument } from "./openapi.js";
import type { StandardSchemaV1 } from "./standard-schema.js";

/** Fails with every error the official schema reports, and with any $ref that leads nowhere. */
async function assertValidOpenApi(document: OpenApiDocument): Promise<void> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document));
  assert.equal(validator.version, "3.1");
  assert.ok(result.valid, `not a valid OpenAPI 3.1 document: ${JSON.stringify(result.errors, null, 2)}`);
  const ajv = new Ajv2020({ strict: false });
  for (const schema of schemaObjects(document)) {
    assert.ok(ajv.validateSchema(schema), `not JSON Schema 2020-12: ${JSON.stringify(schema)}`);
  }
  for (const ref of refs(document)) {
    const target = ref
      .slice(2)
      .split("/")
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
    assert.ok(target !== undefined, `$ref ${ref} leads nowhere`);
  }
}

function* schemaObjects(node: unknown): Generator<object> {
  if (Array.isArray(node)) for (const item of node) yield* schemaObjects(item);
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "schema" && typeof value === "object") yield value as object;
      else if (key === "schemas") yield* Object.values(value as object);
      else yield* schemaObjects(value);
    }
  }
}

function* refs(node: unknown): Generator<string> {
  if (Array.isArray(node)) for (const item of node) yield* refs(item);
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") yield value;
      else yield* refs(value);
    }
  }
}

const User = z.object({ name: z.string().min(1), email: z.email(), age: z.number().int().optional() });
const TreeNode: z.ZodType<{ name: string; children: unknown[] }> = z.object({
  name: z.string(),
  get children() {
    return z.array(TreeNode);
  },
});

function shopApp(): App {
  const app = new App();
  app.set({ environment: "production", publicFolder: false });
  app.set("openapi", { info: { title: "Shop", version: "2.1.0" }, servers: [{ url: "https://shop.example" }] });
  app.get("/", () => "home");
  app.get(
    "/users/:id",
    {
      provides: ["json", "html"],
      validate: { params: z.object({ id: z.coerce.number().int() }) },
      openapi: { summary: "One user", tags: ["users"], responses: { "404": { description: "No such user" } } },
    },
    () => ({}),
  );
  app.post(
    "/users",
    { validate: { json: User, headers: z.object({ "x-request-id": z.uuid().optional() }) } },
    () => 201,
  );
  app.get(
    "/search",
    {
      validate: {
        query: toStandardJsonSchema(
          v.object({ q: v.string(), filter: v.optional(v.object({ kind: v.string() })), page: v.optional(v.string()) }),
        ),
      },
    },
    () => [],
  );
  app.post("/trees", { validate: { json: TreeNode } }, () => 201);
  app.post("/signup", { validate: { form: v.object({ email: v.string() }) } }, () => 201);
  app.get("/posts/:id(.:format)?", () => "post");
  app.get("/files/*", () => "file");
  app.get("/users/:id", { provides: "text" }, () => "second route, same operation");
  app.delete("/users/:user_id", () => 204);
  app.get(/\/legacy\/(\d+)/, () => "regexp");
  app.link("/users/:id", () => 204);
  app.get("*", () => "catch-all");
  return app;
}

describe("app.openapi()", () => {
  it("writes a document the official OpenAPI 3.1 schema accepts", async () => {
    const document = shopApp().openapi();
    await assertValidOpenApi(document);
    assert.equal(document.openapi, "3.1.1");
    assert.deepEqual(document.info, { title: "Shop", version: "2.1.0" });
    assert.deepEqual(document.servers, [{ url: "https://shop.example" }]);
  });

  it("has a check that fails on a broken document", async () => {
    const broken = shopApp().openapi();
    (broken.paths["/users/{id}"].get.parameters as Array<Record<string, unknown>>)[0].required = false;
    await assert.rejects(assertValidOpenApi(broken), /not a valid OpenAPI 3.1 document/);
    const dangling = shopApp().openapi();
    delete (dangling.components as { schemas: Record<string, unknown> }).schemas.ValidationProblem;
    await assert.rejects(
      assertValidOpenApi(dangling),
      /Can.t resolve #\/components\/schemas\/ValidationProblem|leads nowhere/,
    );
  });

  it("turns patterns into path templates: optional parts expand, splats are parameters", () => {
    const paths = Object.keys(shopApp().openapi().paths);
    assert.deepEqual(paths, [
      "/",
      "/users/{id}",
      "/users",
      "/search",
      "/trees",
      "/signup",
      "/posts/{id}",
      "/posts/{id}.{format}",
      "/files/{splat}",
    ]);
    const files = shopApp().openapi().paths["/files/{splat}"].get as { parameters: Array<Record<string, unknown>> };
    assert.deepEqual(files.parameters[0], {
      name: "splat",
      in: "path",
      required: true,
      schema: { type: "string" },
      description: "Any characters, '/' included (percent-encoded in the path)",
    });
  });

  it("says what it left out and why", () => {
    const app = shopApp();
    const { warnings } = openApiDocument(app.routes(), app.settings.openapi);
    assert.deepEqual(warnings, [
      'POST /signup: the valibot schema of form has no JSON Schema; give one with app.set("openapi", { jsonSchema }) or a library with Standard JSON Schema',
      "DELETE /users/:user_id: /users/{user_id} differs from /users/{id} only in parameter names; left out",
      "GET /\\/legacy\\/(\\d+)/: a RegExp route has no OpenAPI path template; left out",
      "LINK /users/:id: OpenAPI 3.1 has no field for LINK; left out",
      'GET *: it does not start with "/"; left out',
    ]);
  });

  it("takes parameters and bodies from the validate schemas, and responses from provides", () => {
    const { paths } = shopApp().openapi();
    const user = paths["/users/{id}"].get as Record<string, any>;
    assert.deepEqual(user.parameters, [
      {
        name: "id",
        in: "path",
        required: true,
        schema: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 },
      },
    ]);
    assert.deepEqual(Object.keys(user.responses["200"].content), ["application/json", "text/html", "text/plain"]);
    assert.equal(
      user.responses["400"].content["application/problem+json"].schema.$ref,
      "#/components/schemas/ValidationProblem",
    );
    assert.equal(user.summary, "One user");
    assert.deepEqual(user.tags, ["users"]);
    assert.equal(user.responses["404"].description, "No such user");

    const create = paths["/users"].post as Record<string, any>;
    assert.equal(create.requestBody.content["application/json"].schema.properties.email.format, "email");
    assert.deepEqual(create.requestBody.content["application/json"].schema.required, ["name", "email"]);
    assert.equal(create.parameters[0].in, "header");
    assert.equal(create.parameters[0].required, false);
    assert.deepEqual(Object.keys(create.responses), ["200", "400", "422"]);

    const search = paths["/search"].get as Record<string, any>;
    assert.deepEqual(
      search.parameters.map((p: Record<string, unknown>) => [p.name, p.in, p.required, p.style]),
      [
        ["q", "query", true, undefined],
        ["filter", "query", false, "deepObject"],
        ["page", "query", false, undefined],
      ],
    );
    const signup = paths["/signup"].post as Record<string, any>;
    assert.deepEqual(Object.keys(signup.requestBody.content), [
      "application/x-www-form-urlencoded",
      "multipart/form-data",
    ]);
  });

  it("moves a recursive schema to components, with its references", async () => {
    const document = shopApp().openapi();
    const trees = document.paths["/trees"].post as Record<string, any>;
    const ref = trees.requestBody.content["application/json"].schema.$ref as string;
    assert.match(ref, /^#\/components\/schemas\//);
    const component = (document.components as any).schemas[ref.split("/").pop()!];
    assert.equal(component.properties.children.items.$ref, ref);
  });

  it("uses the jsonSchema setting for libraries without Standard JSON Schema, and warns when nothing gives one", async () => {
    const app = shopApp();
    const withoutHook = openApiDocument(app.routes(), app.settings.openapi);
    assert.ok(withoutHook.warnings.some((w) => /POST \/signup: the valibot schema of form has no JSON Schema/.test(w)));
    const signupWithout = withoutHook.document.paths["/signup"].post as Record<string, any>;
    assert.deepEqual(signupWithout.requestBody.content["multipart/form-data"].schema, {});

    app.set("openapi", {
      ...app.settings.openapi,
      jsonSchema: (schema: StandardSchemaV1) =>
        schema["~standard"].vendor === "valibot" ? toJsonSchema(schema as v.GenericSchema) : undefined,
    });
    const { document, warnings } = openApiDocument(app.routes(), app.settings.openapi);
    assert.ok(!warnings.some((w) => /no JSON Schema/.test(w)));
    const signup = document.paths["/signup"].post as Record<string, any>;
    assert.deepEqual(signup.requestBody.content["multipart/form-data"].schema, {
      type: "object",
      properties: { email: { type: "string" } },
      required: ["email"],
    });
    await assertValidOpenApi(document);
  });

  it("warns, and stays valid, when a schema cannot become JSON Schema", async () => {
    const app = new App();
    app.post("/events", { validate: { json: z.object({ at: z.date() }) } }, () => 201);
    const { document, warnings } = openApiDocument(app.routes());
    assert.match(warnings[0], /POST \/events: the zod schema of json could not become JSON Schema: .*Date/);
    await assertValidOpenApi(document);
  });

  it("takes info from its argument, over the setting", () => {
    const document = shopApp().openapi({ version: "3.0.0", description: "The shop's API" });
    assert.deepEqual(document.info, { title: "Shop", version: "3.0.0", description: "The shop's API" });
    assert.deepEqual(new App().openapi().info, { title: "frank app", version: "0.0.0" });
  });

  it("merges the document setting's components with the generated ones", async () => {
    const app = shopApp();
    app.set("openapi", {
      document: {
        components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
        security: [{ bearer: [] }],
      },
    });
    const document = app.openapi();
    await assertValidOpenApi(document);
    const components = document.components as Record<string, Record<string, unknown>>;
    assert.ok(components.schemas.ValidationProblem);
    assert.ok(components.securitySchemes.bearer);
    assert.deepEqual(document.security, [{ bearer: [] }]);
  });
});
