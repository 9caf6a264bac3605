// Route validation with zod and valibot through `app.request()`. The type checks at the top fail
// `npm run typecheck` if what `c.valid` infers drifts from what the schemas say.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import * as z from "zod";
import { App } from "./app.js";
import { ValidationError } from "./validation.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<_Check extends true>(_value?: unknown): void {}

const User = z.object({ name: z.string().min(1), age: z.number().int().optional() });
const Paging = v.object({ page: v.pipe(v.string(), v.transform(Number), v.number(), v.minValue(1)) });

function testApp(): App {
  const app = new App();
  app.set({ environment: "production", dumpErrors: false, publicFolder: false });
  return app;
}

function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}

// ---- types: checked by the compiler, never run ----------------------------------------------------

export function typeChecks(): void {
  const app = testApp();
  app.post("/users/:id", { validate: { json: User, query: Paging } }, (c) => {
    expectType<Equal<typeof c.valid.json, { name: string; age?: number | undefined }>>();
    expectType<Equal<typeof c.valid.query, { page: number }>>();
    expectType<Equal<typeof c.params.id, string>>();
    // @ts-expect-error: the form was not validated, so nothing is known of it
    c.valid.form.name;
    // @ts-expect-error: no such field in the schema
    c.valid.json.email;
    return c.valid.json.name;
  });
  app.get("/plain", { provides: "json" }, (c) => {
    expectType<Equal<typeof c.valid.json, unknown>>();
    return "plain";
  });
  app.route("PUT", "/r", { validate: { headers: z.object({ "x-token": z.string() }) } }, (c) => {
    expectType<Equal<typeof c.valid.headers, { "x-token": string }>>();
    return "ok";
  });
  // @ts-expect-error: "jsom" is not a part of the request
  app.post("/typo", { validate: { jsom: User } }, () => "typo");
  // @ts-expect-error: not a Standard Schema
  app.post("/not-a-schema", { validate: { json: { parse: () => ({}) } } }, () => "no");
  const helped = testApp().helpers({ shout: (s: string) => s.toUpperCase() });
  helped.post("/h", { validate: { form: v.object({ word: v.string() }) } }, (c) => {
    expectType<Equal<typeof c.valid.form, { word: string }>>();
    return c.shout(c.valid.form.word);
  });
}

// ---- behaviour ---------------------------------------------------------------------------------

describe("validate: a JSON body", () => {
  const app = testApp();
  app.post("/users", { validate: { json: User } }, (c) => ({ created: c.valid.json.name, age: c.valid.json.age }));

  it("gives the handler the schema's output", async () => {
    const res = await app.request("/users", postJson({ name: "Ada", age: 36, extra: "dropped" }));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { created: "Ada", age: 36 });
  });

  it("answers valid JSON that fails the schema with a 422 problem document listing every issue", async () => {
    const res = await app.request("/users", postJson({ name: "", age: 1.5 }));
    assert.equal(res.status, 422);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    const problem = await res.json();
    assert.equal(problem.type, "about:blank");
    assert.equal(problem.title, "Unprocessable Content");
    assert.equal(problem.status, 422);
    assert.match(problem.detail, /json/);
    assert.deepEqual(
      problem.issues.map((issue: { in: string; path: unknown[] }) => [issue.in, issue.path]),
      [
        ["json", ["name"]],
        ["json", ["age"]],
      ],
    );
    for (const issue of problem.issues) assert.equal(typeof issue.message, "string");
  });

  it("answers malformed JSON with a 400 and another content type with a 415, as c.json() does", async () => {
    const malformed = await app.request("/users", postJson('{"name": "Ada"'));
    assert.equal(malformed.status, 400);
    const wrongType = await app.request("/users", { method: "POST", body: "name=Ada" });
    assert.equal(wrongType.status, 415);
  });

  it("never echoes the rejected values back", async () => {
    const secret = "hunter2-in-the-wrong-field";
    const res = await app.request("/users", postJson({ name: 42, age: secret }));
    assert.equal(res.status, 422);
    assert.doesNotMatch(await res.text(), /hunter2/);
  });
});

describe("validate: params, query, headers and forms", () => {
  it("checks params, headers and the query before reading the body; their failure is a 400", async () => {
    const app = testApp();
    let bodyRead = false;
    app.post(
      "/items/:id",
      {
        validate: {
          params: z.object({ id: z.coerce.number().int().positive() }),
          headers: z.object({ "x-tenant": z.string().regex(/^[a-z]+$/) }),
          query: Paging,
          json: z.object({ price: z.number() }),
        },
      },
      (c) => ({
        id: c.valid.params.id,
        tenant: c.valid.headers["x-tenant"],
        page: c.valid.query.page,
        ...c.valid.json,
      }),
    );
    const ok = await app.request("/items/7?page=2", postJson({ price: 3.5 }, { "x-tenant": "acme" }));
    assert.deepEqual(await ok.json(), { id: 7, tenant: "acme", page: 2, price: 3.5 });

    const body = new ReadableStream(
      {
        pull() {
          bodyRead = true;
          throw new Error("the body must not be read");
        },
      },
      { highWaterMark: 0 },
    );
    const bad = await app.request("/items/zero?page=0", {
      method: "POST",
      headers: { "content-type": "application/json", "x-tenant": "ACME" },
      body,
      duplex: "half",
    } as RequestInit);
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get("content-type"), "application/problem+json");
    const problem = await bad.json();
    assert.deepEqual(
      problem.issues.map((issue: { in: string; path: unknown[] }) => [issue.in, issue.path.join(".")]),
      [
        ["params", "id"],
        ["headers", "x-tenant"],
        ["query", "page"],
      ],
    );
    assert.equal(bodyRead, false);
  });

  it("validates urlencoded and multipart forms with valibot", async () => {
    const app = testApp();
    const Signup = v.object({ email: v.pipe(v.string(), v.email()), tags: v.optional(v.array(v.string())) });
    app.post("/signup", { validate: { form: Signup } }, (c) => ({
      email: c.valid.form.email,
      tags: c.valid.form.tags,
    }));
    const form = await app.request("/signup", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=ada%40example.org&tags[]=a&tags[]=b",
    });
    assert.deepEqual(await form.json(), { email: "ada@example.org", tags: ["a", "b"] });
    const multipart = new FormData();
    multipart.set("email", "not an address");
    const bad = await app.request("/signup", { method: "POST", body: multipart });
    assert.equal(bad.status, 422);
    assert.deepEqual((await bad.json()).issues[0].path, ["email"]);
  });

  it("reports nested paths as keys and indexes", async () => {
    const app = testApp();
    const Order = v.object({ items: v.array(v.object({ price: v.number() })) });
    app.post("/orders", { validate: { json: Order } }, () => 201);
    const res = await app.request("/orders", postJson({ items: [{ price: 1 }, { price: "2" }] }));
    assert.deepEqual((await res.json()).issues[0].path, ["items", 1, "price"]);
  });

  it("awaits asynchronous schemas", async () => {
    const app = testApp();
    const taken = new Set(["frank"]);
    const Name = z.object({
      name: z.string().refine(async (name) => !taken.has(name), "That name is taken"),
    });
    app.post("/names", { validate: { json: Name } }, (c) => c.valid.json.name);
    assert.equal(await (await app.request("/names", postJson({ name: "sinatra" }))).text(), "sinatra");
    const taken422 = await app.request("/names", postJson({ name: "frank" }));
    assert.equal(taken422.status, 422);
    assert.equal((await taken422.json()).issues[0].message, "That name is taken");
  });
});

describe("validate: in the route's life", () => {
  it("runs after the conditions chose the route: a failing condition moves on, a failing schema answers", async () => {
    const app = testApp();
    app.post("/things", { provides: "json", validate: { json: User } }, (c) => c.valid.json);
    app.post("/things", () => "the route for other clients");
    const other = await app.request("/things", postJson({}, { accept: "text/plain" }));
    assert.equal(await other.text(), "the route for other clients");
    const rejected = await app.request("/things", postJson({}, { accept: "application/json" }));
    assert.equal(rejected.status, 422);
  });

  it("lets pass() move on from a validated route", async () => {
    const app = testApp();
    app.get("/p/:n", { validate: { params: z.object({ n: z.string() }) } }, (c) => c.pass());
    app.get("/p/:n", (c) => `next ${c.params.n}`);
    assert.equal(await (await app.request("/p/1")).text(), "next 1");
  });

  it("can be answered by an error handler for the class or the status", async () => {
    const byClass = testApp();
    byClass.post("/u", { validate: { json: User } }, () => "ok");
    byClass.error(ValidationError, (c, error: ValidationError) => {
      c.status(400);
      return { errors: error.issues.map((issue) => issue.path.join(".")) };
    });
    const res = await byClass.request("/u", postJson({}));
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { errors: ["name"] });

    const byStatus = testApp();
    byStatus.post("/u", { validate: { json: User } }, () => "ok");
    byStatus.error(422, () => "nope");
    const answered = await byStatus.request("/u", postJson({}));
    assert.equal(answered.status, 422);
    assert.equal(await answered.text(), "nope");
  });

  it("stays synchronous when the schemas are, like any route", () => {
    const app = testApp();
    app.get("/sync", { validate: { query: z.object({ q: z.string() }) } }, (c) => c.valid.query.q);
    const answer = app.fetch(new Request("http://localhost/sync?q=now"));
    assert.ok(!(answer instanceof Promise), "a sync schema and handler answer without a promise");
    assert.equal(answer.status, 200);
  });

  it("refuses a wrong definition when the route is defined, not at the first request", () => {
    const app = testApp();
    assert.throws(() => app.post("/a", { validate: { json: User, form: User } }, () => ""), /both json and form/);
    assert.throws(
      () => app.post("/b", { validate: { body: User } } as never, () => ""),
      /validate\.body is not a part of the request/,
    );
    assert.throws(
      () => app.post("/c", { validate: { json: { parse() {} } } } as never, () => ""),
      /validate\.json is not a Standard Schema/,
    );
    assert.throws(() => app.before("/d", { validate: { json: User } }, () => {}), /applies to routes only/);
  });
});
