// The App answers synchronously when every step of a request does, and the answer never depends on
// which steps were synchronous: the dispatch follows each step's value or promise (maybe-async.ts),
// and these tests pin both halves of that promise.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { App } from "./app.js";

type Mode = "sync" | "async";
const STEPS = ["before", "condition", "route", "error", "after"] as const;
type Plan = Record<(typeof STEPS)[number], Mode>;

/** Runs `work` now, or after an await, so the step returns a promise (and a throw becomes a rejection). */
function step<T>(mode: Mode, work: () => T): T | Promise<T> {
  if (mode === "sync") return work();
  return Promise.resolve().then(work);
}

class Teapot extends Error {}

/** Every step an answer can pass through, each one sync or async as the plan says. */
function appFor(plan: Plan, { withAfter = true } = {}): App {
  const app = new App();
  app.set({ environment: "production", dumpErrors: false, publicFolder: false });
  app.condition(
    "open",
    (wanted: boolean) => (c) => step(plan.condition, () => wanted === !c.req.headers.has("x-closed")),
  );
  app.before((c) =>
    step(plan.before, () => {
      c.header("x-before", "ran");
    }),
  );
  app.get("/item/:id", { open: false }, () => "the false condition moved on"); // never answers while open
  app.get("/item/:id", { open: true }, (c) =>
    step(plan.route, () => {
      if (c.params.id === "teapot") throw new Teapot("short and stout");
      if (c.params.id === "forbidden") c.halt(403, "not yours");
      if (c.params.id === "pass") c.pass();
      c.status(201);
      c.header("x-route", c.params.id);
      return `item ${c.params.id}`;
    }),
  );
  app.error(Teapot, (c, error: Teapot) =>
    step(plan.error, () => {
      c.status(418);
      return `handled: ${error.message}`;
    }),
  );
  app.notFound((c) => step(plan.error, () => `nothing at ${new URL(c.req.url).pathname}`));
  if (withAfter) {
    app.after((c) =>
      step(plan.after, () => {
        c.header("x-after", String(c.res?.status));
      }),
    );
  }
  return app;
}

const REQUESTS: Array<[method: string, path: string]> = [
  ["GET", "/item/7"],
  ["HEAD", "/item/7"],
  ["GET", "/item/teapot"],
  ["GET", "/item/forbidden"],
  ["GET", "/item/pass"],
  ["GET", "/nowhere"],
];

interface Answer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

async function answer(app: App, method: string, path: string): Promise<Answer> {
  const res = await app.fetch(new Request(`http://localhost${path}`, { method }));
  return { status: res.status, headers: [...res.headers].sort(), body: await res.text() };
}

function* plans(): Generator<Plan> {
  for (let bits = 0; bits < 2 ** STEPS.length; bits++) {
    yield Object.fromEntries(STEPS.map((name, i) => [name, bits & (1 << i) ? "async" : "sync"])) as Plan;
  }
}

const ALL_SYNC: Plan = { before: "sync", condition: "sync", route: "sync", error: "sync", after: "sync" };

describe("the fast path", () => {
  it("a sync route answers with a Response, not a Promise, through sync filters, conditions and error handlers", () => {
    const app = appFor(ALL_SYNC, { withAfter: false });
    for (const [method, path] of REQUESTS) {
      const res = app.fetch(new Request(`http://localhost${path}`, { method }));
      assert.ok(res instanceof Response, `${method} ${path} answered with a promise`);
    }
    const plain = new App();
    plain.set({ environment: "production", publicFolder: false });
    plain.get("/", () => "hello");
    assert.ok(plain.fetch(new Request("http://localhost/")) instanceof Response);
  });

  it("the answers are what Sinatra's order gives", async () => {
    const app = appFor(ALL_SYNC);
    const expected: Record<string, Partial<Answer> & { has?: Record<string, string> }> = {
      "GET /item/7": { status: 201, body: "item 7", has: { "x-before": "ran", "x-route": "7", "x-after": "201" } },
      "HEAD /item/7": { status: 201, body: "", has: { "x-route": "7", "x-after": "201" } },
      "GET /item/teapot": { status: 418, body: "handled: short and stout", has: { "x-after": "418" } },
      "GET /item/forbidden": { status: 403, body: "not yours", has: { "x-before": "ran" } },
      "GET /item/pass": { status: 404, body: "nothing at /item/pass", has: { "x-cascade": "pass" } },
      "GET /nowhere": { status: 404, body: "nothing at /nowhere", has: { "x-after": "404" } },
    };
    for (const [method, path] of REQUESTS) {
      const got = await answer(app, method, path);
      const want = expected[`${method} ${path}`];
      assert.equal(got.status, want.status, `${method} ${path}`);
      assert.equal(got.body, want.body, `${method} ${path}`);
      const headers = Object.fromEntries(got.headers);
      for (const [name, value] of Object.entries(want.has ?? {}))
        assert.equal(headers[name], value, `${method} ${path}: ${name}`);
    }
  });

  it("every mix of sync and async steps gives the same status, headers and body", async () => {
    const reference = appFor(ALL_SYNC);
    const expected = new Map<string, Answer>();
    for (const [method, path] of REQUESTS) expected.set(`${method} ${path}`, await answer(reference, method, path));
    let compared = 0;
    for (const plan of plans()) {
      const app = appFor(plan);
      for (const [method, path] of REQUESTS) {
        const key = `${method} ${path}`;
        assert.deepEqual(await answer(app, method, path), expected.get(key), `${key} with ${JSON.stringify(plan)}`);
        compared++;
      }
    }
    assert.equal(compared, 2 ** STEPS.length * REQUESTS.length);
  });
});
