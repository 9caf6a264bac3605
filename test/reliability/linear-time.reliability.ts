// Every parser of untrusted input, and the router, takes time linear in its input: each gets
// hostile inputs far larger than the server lets through (1 MiB where a header may hold 16 KiB,
// 128 KiB paths where a request target may hold 8 KiB) shaped to make a backtracking or
// rescanning parser go quadratic. A quadratic parser needs minutes on them (the query shape check
// took 7.6 s on 94 KiB; `/*/*/*/edit` 2 s on a 4 KiB path). Each must take under a second of
// CPU time, or at most 8 times as long on the whole input as on a quarter of it (linear is 4
// times, quadratic 16). Then the same shapes at the server's own limits go through a real socket
// while a liveness probe checks that the event loop never stalls. Bounded: a fixed list of
// inputs, each run at most four times.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { App } from "../../src/app/app.js";
import { CookieJar } from "../../src/http/cookies.js";
import { evaluatePreconditions, parseETagList } from "../../src/http/conditional.js";
import { hostName } from "../../src/http/host-name.js";
import { isLocalUrl } from "../../src/http/location.js";
import { negotiateMediaType } from "../../src/http/negotiate.js";
import { parseQuery } from "../../src/http/query.js";
import { parseRange } from "../../src/http/range.js";
import { frameParts } from "../../src/middleware/dev-pages/stack.js";
import {
  cookieSession,
  hostAuthorization,
  methodOverride,
  protection,
  requestId,
  showExceptions,
} from "../../src/middleware/index.js";
import { compilePattern } from "../../src/router/pattern.js";
import { canonicalPath } from "../../src/router/percent.js";
import { Router } from "../../src/router/router.js";
import { isPlainAuthority, isPlainTarget } from "../../src/server/request-url.js";
import { contentDisposition } from "../../src/static/content-disposition.js";
import { resolveUrlPath } from "../../src/static/safe-path.js";
import { rawExchange } from "./support/raw-client.js";
import { serveForTest } from "../support/serve-app.js";

const MiB = 1024 * 1024;
const BUDGET_MS = 1000;

/** The share of each input's full size the run in progress uses: 1, or 1/4 to see how time grows. */
let scale = 1;

/** `unit` repeated to about `size` characters (times the scale), between `prefix` and `suffix`. */
const fill = (unit: string, size = MiB, prefix = "", suffix = "") =>
  prefix + unit.repeat(Math.ceil((size * scale) / unit.length)) + suffix;

/**
 * The CPU time of the faster of two runs of `parse` at `share` of the full size, in ms: CPU time,
 * not wall time, so that other processes on a busy machine do not count. Errors a parser means
 * to throw are fine.
 */
async function timed(parse: () => unknown, share: number): Promise<number> {
  let best = Infinity;
  for (let run = 0; run < 2; run++) {
    scale = share;
    const before = process.cpuUsage();
    try {
      await parse();
    } catch (error) {
      if (!(error instanceof Error) || /Maximum call stack/.test(error.message)) throw error;
    } finally {
      scale = 1;
    }
    const { user, system } = process.cpuUsage(before);
    best = Math.min(best, (user + system) / 1000);
    if (best < BUDGET_MS / 4) break;
  }
  return best;
}

/** Passes when `parse` handles its full input within the budget, or takes at most 8 times as long as on a quarter of it. */
async function linear(label: string, parse: () => unknown): Promise<void> {
  const full = await timed(parse, 1);
  if (full < BUDGET_MS) return;
  const quarter = await timed(parse, 1 / 4);
  assert.ok(
    full < 8 * Math.max(quarter, 5),
    `${label}: ${full.toFixed(0)} ms of CPU on the full input, ${quarter.toFixed(0)} ms on a quarter of it`,
  );
}

const SECRET = "linear-time-secret-linear-time-secret-0123456789";
const ok = () => new Response("ok");
const request = (headers: Record<string, string>, init: RequestInit = {}) =>
  new Request("http://localhost/x", { ...init, headers });

describe("parsers of untrusted input, 1 MiB of hostile input each", () => {
  const cases: Array<[string, () => unknown]> = [
    // query strings and urlencoded forms
    ...[
      () => fill("["),
      () => fill("%5B"),
      () => fill("]"),
      () => fill("[]"),
      () => fill("[]", MiB, "a["),
      () => fill("[x"),
      () => fill("x", MiB, "a["),
      () => fill("a[[[[&", MiB),
      () => fill("&"),
      () => fill("="),
      () => fill("%"),
      () => fill("%E2%82"),
      () => fill("+"),
    ].map((input, i) => [`query #${i}`, () => parseQuery(`a${input()}=1`)] as [string, () => unknown]),
    // paths: canonical form, static files, relative-URL checks
    ...[
      () => fill("%"),
      () => fill("%2"),
      () => fill("%C3"),
      () => fill("%2F"),
      () => fill("%25"),
      () => fill("%E0%A4%A"),
      () => fill("/."),
    ].flatMap(
      (path, i): Array<[string, () => unknown]> => [
        [`canonicalPath #${i}`, () => canonicalPath(`/${path()}`)],
        [`resolveUrlPath #${i}`, () => resolveUrlPath(`/${path()}`)],
        [`isPlainTarget #${i}`, () => isPlainTarget(`/${path()}`)],
        [`isLocalUrl #${i}`, () => isLocalUrl(path())],
      ],
    ),
    ["isLocalUrl backslashes", () => isLocalUrl(fill("\\"))],
    // cookies
    ...[
      () => fill("a=b;"),
      () => fill(";"),
      () => fill("="),
      () => fill('"'),
      () => fill("a"),
      () => fill("a=%"),
      () => fill("a=b, "),
    ].flatMap(
      (header, i): Array<[string, () => unknown]> => [
        [`CookieJar #${i}`, () => new CookieJar(header()).toObject()],
        [`cookieSession #${i}`, () => cookieSession({ secret: SECRET })(ok)(request({ cookie: header() }))],
      ],
    ),
    // Range, If-None-Match, If-Match, If-Range, dates
    ...[
      () => fill("0-1,"),
      () => fill("-"),
      () => fill(" ", MiB, "", "0-1"),
      () => fill("1", MiB, "", "-"),
      () => fill(","),
    ].map((spec, i): [string, () => unknown] => [`Range #${i}`, () => parseRange(`bytes=${spec()}`, 1000)]),
    ...[
      () => fill('"'),
      () => fill('W/"'),
      () => fill('"a",'),
      () => fill(" "),
      () => fill("*,"),
      () => fill("a", MiB, '"'),
      () => fill('"a" '),
    ].map((header, i): [string, () => unknown] => [`If-None-Match #${i}`, () => parseETagList(header())]),
    [
      "preconditions with hostile dates and tags",
      () =>
        evaluatePreconditions(
          request({
            "if-match": fill('"a",'),
            "if-none-match": fill('W/"'),
            "if-modified-since": fill("1 "),
            "if-unmodified-since": fill("Mon, "),
          }),
          { etag: '"a"', lastModified: new Date() },
        ),
    ],
    // Accept and content-type parameters
    ...[
      () => fill("a/b;q=0.5,"),
      () => fill(";"),
      () => fill(","),
      () => fill('"'),
      () => fill("a=b;", MiB, "text/html;"),
      () => fill("q=0."),
    ].map((accept, i): [string, () => unknown] => [
      `Accept #${i}`,
      () => negotiateMediaType(accept(), ["application/json", "text/html"]),
    ]),
    // Host, Origin and the middleware that read headers
    ...[
      () => fill(":", MiB, "["),
      () => fill("a."),
      () => fill("."),
      () => fill("xn--a."),
      () => fill("1."),
      () => fill("a", MiB, "", ":0"),
    ].flatMap(
      (host, i): Array<[string, () => unknown]> => [
        [`hostName #${i}`, () => hostName(host())],
        [`isPlainAuthority #${i}`, () => isPlainAuthority(host(), false)],
        [
          `hostAuthorization #${i}`,
          () => hostAuthorization({ allowedHosts: [".example.com"] })(ok)(request({ host: host() })),
        ],
      ],
    ),
    [
      "protection: hostile Origin and content type with a session",
      () =>
        cookieSession({ secret: SECRET })(protection()(ok))(
          request(
            { origin: fill("a"), "content-type": fill(";", MiB, "application/x-www-form-urlencoded") },
            { method: "POST" },
          ),
        ),
    ],
    ["requestId", () => requestId()(ok)(request({ "x-request-id": fill("a") }))],
    [
      "methodOverride",
      () => methodOverride()(ok)(request({ "x-http-method-override": fill("DELETE") }, { method: "POST" })),
    ],
    ["content disposition of a hostile file name", () => contentDisposition("attachment", fill('%"\\é/'))],
    // the development error page: request details and stack frames
    [
      "development error page",
      () =>
        showExceptions({ log: () => {} })(() => {
          throw new Error(fill("at a (a (", 64 * 1024, "\n    at "));
        })(
          new Request(`http://localhost/x?${fill("password=1&", 256 * 1024)}`, {
            headers: { cookie: fill("session=1; ", 256 * 1024), authorization: fill(" ", 64 * 1024, "Bearer") },
          }),
        ),
    ],
    ["stack frame line", () => frameParts(fill("a (1:", MiB, "at "))],
  ];
  for (const [label, parse] of cases) it(label, () => linear(label, parse));
});

/** Patterns whose dynamic parts can each end in many places, and the shapes that stay on V8's engine. */
const PATTERNS = [
  "/*/*/*/edit",
  "/*.*",
  "/say/*/to/*",
  "/:a.:b.:c",
  "/:a-:b-:c",
  "/:foo(.:bar)?",
  "/:foo(/:bar)?",
  "/:a(.:b(.:c)?)?",
  "/api/(v1|v2)/:resource",
  "/(a|a/)*/(b|b/)*/z",
  "/:a?/:b?/:c?",
  "/users/:id/posts/:post",
  "/files/*",
  "/:name/*",
  "/user_:id.json",
];
const PATH_SHAPES = ["a/", "a", ".", "a.", "-", "/", "%2F", "to/", " "];
const ROUTER_PATH_SIZE = 128 * 1024;

describe("the router, 128 KiB hostile paths", () => {
  for (const pattern of PATTERNS) {
    it(pattern, async () => {
      const compiled = compilePattern(pattern);
      for (const shape of PATH_SHAPES) {
        for (const suffix of ["/", "x"]) {
          await linear(`${pattern} against ${shape}…${suffix}`, () =>
            compiled.match(fill(shape, ROUTER_PATH_SIZE, "/", suffix)),
          );
        }
      }
    });
  }
  it("all of them in one router", async () => {
    const router = new Router<string>();
    for (const pattern of PATTERNS) router.add("GET", pattern, pattern);
    for (const shape of PATH_SHAPES) {
      await linear(`router against ${shape}…`, () => {
        for (const found of router.match("GET", fill(shape, ROUTER_PATH_SIZE, "/", "!"))) void found;
      });
    }
  });
});

describe("through a real socket, at the server's own limits", () => {
  it("no hostile request stalls the event loop: each is answered, and /livez stays prompt", async (t) => {
    const app = new App();
    app.set({ environment: "production", publicFolder: false, dumpErrors: false, sessions: { secret: SECRET } });
    app.use(protection({ originCheck: false }));
    for (const pattern of PATTERNS) app.get(pattern, () => "matched");
    app.post("/form", async (c) => JSON.stringify(Object.keys(await c.form()).length));
    app.get("/query", (c) => JSON.stringify(Object.keys(c.query).length));
    app.get("/cookies", (c) => JSON.stringify(Object.keys(c.cookies.toObject()).length));
    app.get("/negotiate", { provides: ["json", "html"] }, () => "negotiated");
    app.get("/tagged", (c) => {
      c.etag("v1");
      c.lastModified(new Date("2024-01-01T00:00:00Z"));
      return "tagged";
    });
    app.get("/go", (c) => c.redirect(String(c.query.to)));
    const server = await serveForTest(t, app, { env: "production" });
    const port = server.addresses[0].port;

    const head = (target: string, headers: string) =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Connection: close\r\n\r\n`;
    const PATH = 8000; // under the 8192-character request target limit
    const HEADER = 15 * 1024; // under the 16 KiB head limit
    /** The hostile requests, at the current scale. */
    const hostileRequests = (): Array<[string, string]> => {
      const formBody = `a${fill("[", MiB - 1024)}=1`;
      return [
        ...PATH_SHAPES.map((shape): [string, string] => [`path ${shape}`, head(fill(shape, PATH, "/", "!"), "")]),
        ["query", head(`/query?a${fill("[", PATH)}=1`, "")],
        ["query, encoded", head(`/query?a${fill("%5B", PATH)}=1`, "")],
        ["cookies", head("/cookies", `Cookie: ${fill("a=b;", HEADER)}\r\n`)],
        ["Accept", head("/negotiate", `Accept: ${fill("a/b;q=0.5,", HEADER)}\r\n`)],
        ["If-None-Match", head("/tagged", `If-None-Match: ${fill('W/"', HEADER)}\r\n`)],
        ["If-Modified-Since", head("/tagged", `If-Modified-Since: ${fill("1 ", HEADER)}\r\n`)],
        ["Host", `GET / HTTP/1.1\r\nHost: ${fill("a.", HEADER)}\r\nConnection: close\r\n\r\n`],
        ["redirect target", head(`/go?to=${fill("%5C", PATH)}`, "")],
        [
          "urlencoded form of 1 MiB",
          `POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${formBody.length}\r\nConnection: close\r\n\r\n${formBody}`,
        ],
      ];
    };
    // Once small and untimed, so what is timed is the matching and parsing, not V8 compiling them.
    scale = 1 / 16;
    const warmUp = hostileRequests();
    scale = 1;
    for (const [, raw] of warmUp) await rawExchange(port, [raw], { idleMs: 10_000 });
    const hostile = hostileRequests();

    // A liveness probe every 50 ms for as long as the hostile requests run.
    let probing = true;
    let slowestProbeMs = 0;
    const probes = (async () => {
      while (probing) {
        const started = performance.now();
        const exchange = await rawExchange(port, ["GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]);
        assert.equal(exchange.responses[0]?.status, 200);
        slowestProbeMs = Math.max(slowestProbeMs, performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    let slowest = { label: "", ms: 0 };
    try {
      for (const [label, raw] of hostile) {
        const started = performance.now();
        const exchange = await rawExchange(port, [raw], { idleMs: 10_000 });
        const ms = performance.now() - started;
        const status = exchange.responses[0]?.status;
        assert.ok(status !== undefined && status < 500, `${label}: answered ${status}`);
        assert.ok(ms < BUDGET_MS, `${label}: ${ms.toFixed(0)} ms`);
        if (ms > slowest.ms) slowest = { label, ms };
      }
    } finally {
      probing = false;
      await probes;
    }
    t.diagnostic(
      `slowest hostile request: ${slowest.label}, ${slowest.ms.toFixed(0)} ms; slowest /livez: ${slowestProbeMs.toFixed(0)} ms`,
    );
    assert.ok(slowestProbeMs < BUDGET_MS, `the slowest /livez took ${slowestProbeMs.toFixed(0)} ms`);
  });
});
