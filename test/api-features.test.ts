// Test timeout: 90 s: the compiled launcher started for each feature.
// Validation, 405, rate limiting, auth and OpenAPI as a user meets them: the compiled launcher
// (bin/frank.js) serving test/fixtures/apps/api on loopback, real HTTP clients from several
// loopback addresses, a JSON Web Key Set served by another local server, and `frank openapi`
// checked against the official OpenAPI 3.1 schema.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Validator } from "@seriousme/openapi-schema-validator";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { parse as parseYaml } from "yaml";
import { freePort } from "./support/ports.js";
import { waitFor } from "./support/wait.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FRANK = join(ROOT, "bin/frank.js");
const FIXTURE = join(ROOT, "test/fixtures/apps/api");
const run = promisify(execFile);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let base: string;
let port: number;
let frank: ChildProcess;
let output = "";
let jwks: Server;
let signer: CryptoKey;

/** One request on its own connection, from `localAddress` (any 127/8 address reaches the server). */
function ask(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: options.method ?? "GET", headers: options.headers, localAddress: options.from, agent: false },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

before(async () => {
  const pair = await generateKeyPair("ES256");
  signer = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "main", alg: "ES256" };
  jwks = createServer((_req, res) => res.end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;

  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  frank = spawn(
    process.execPath,
    [FRANK, join(FIXTURE, "app.ts"), "-p", String(port), "-o", "127.0.0.1", "-E", "production"],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, FRANK_CONTAINER: "0", JWKS_URL: jwksUrl },
    },
  );
  frank.stdout!.on("data", (chunk) => (output += chunk));
  frank.stderr!.on("data", (chunk) => (output += chunk));
  await waitFor(async () => (await ask("/livez")).status === 200, { description: `frank to listen\n${output}` });
});

after(async () => {
  if (frank?.exitCode === null) {
    frank.kill("SIGTERM");
    await once(frank, "exit");
  }
  await new Promise<void>((resolve) => jwks?.close(() => resolve()));
});

describe("a validated API on a real server", () => {
  it("answers a valid body with the handler's result", async () => {
    const res = await ask("/orders", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ item: "tea", quantity: 2 }),
    });
    assert.equal(res.status, 201);
    assert.deepEqual(JSON.parse(res.body), { item: "tea", quantity: 2 });
  });

  it("answers a body that fails its schema with a 422 problem document", async () => {
    const res = await ask("/orders", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ item: "", quantity: -1 }),
    });
    assert.equal(res.status, 422);
    assert.equal(res.headers["content-type"], "application/problem+json");
    const problem = JSON.parse(res.body);
    assert.deepEqual(
      problem.issues.map((issue: { path: string[] }) => issue.path[0]),
      ["item", "quantity"],
    );
  });

  it("answers bad params and queries with a 400, and coerces good ones", async () => {
    assert.deepEqual(JSON.parse((await ask("/orders/42")).body), { id: 42 });
    const badParam = await ask("/orders/forty-two");
    assert.equal(badParam.status, 400);
    assert.equal(JSON.parse(badParam.body).issues[0].in, "params");
    const badQuery = await ask("/search?q=x");
    assert.equal(badQuery.status, 400);
    assert.deepEqual(JSON.parse((await ask("/search?q=tea")).body), { q: "tea" });
  });

  it("answers 405 with Allow, and OPTIONS with 204 and Allow", async () => {
    const refused = await ask("/orders/1", { method: "DELETE" });
    assert.equal(refused.status, 405);
    assert.equal(refused.headers.allow, "GET, HEAD, OPTIONS");
    const options = await ask("/orders", { method: "OPTIONS" });
    assert.equal(options.status, 204);
    assert.equal(options.headers.allow, "POST, OPTIONS");
    assert.equal((await ask("/nothing", { method: "DELETE" })).status, 404);
  });
});

describe("rate limiting on a real server", () => {
  it("counts each client address on its own and answers 429 past the limit", async () => {
    for (let n = 1; n <= 3; n++) {
      const res = await ask("/limited", { from: "127.0.0.2" });
      assert.equal(res.status, 200);
      assert.equal(res.headers["ratelimit-remaining"], String(3 - n));
    }
    const refused = await ask("/limited", { from: "127.0.0.2" });
    assert.equal(refused.status, 429);
    assert.match(String(refused.headers["retry-after"]), /^\d+$/);
    assert.equal((await ask("/limited", { from: "127.0.0.3" })).status, 200, "another address");
    // X-Forwarded-For is not trusted by default: a client cannot claim to be someone else.
    const spoofed = await ask("/limited", { from: "127.0.0.2", headers: { "x-forwarded-for": "198.18.0.77" } });
    assert.equal(spoofed.status, 429);
  });
});

describe("auth on a real server", () => {
  it("asks for Basic credentials and lets the right ones in", async () => {
    const none = await ask("/admin");
    assert.equal(none.status, 401);
    assert.equal(none.headers["www-authenticate"], 'Basic realm="Orders admin", charset="UTF-8"');
    const ok = await ask("/admin", {
      headers: { authorization: `Basic ${Buffer.from("ada:lovelace").toString("base64")}` },
    });
    assert.equal(ok.body, "hello ada");
  });

  it("checks bearer tokens", async () => {
    assert.equal((await ask("/keys", { headers: { authorization: "Bearer key-1" } })).body, "key accepted");
    const wrong = await ask("/keys", { headers: { authorization: "Bearer key-2" } });
    assert.equal(wrong.status, 401);
    assert.match(String(wrong.headers["www-authenticate"]), /error="invalid_token"/);
  });

  it("verifies JWTs against a key set fetched from its URL", async () => {
    const token = (audience: string) =>
      new SignJWT({ sub: "ada" })
        .setProtectedHeader({ alg: "ES256", kid: "main" })
        .setIssuer("https://id.test")
        .setAudience(audience)
        .setExpirationTime("5m")
        .sign(signer);
    const ok = await ask("/jwt", { headers: { authorization: `Bearer ${await token("orders")}` } });
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { sub: "ada" });
    const otherAudience = await ask("/jwt", { headers: { authorization: `Bearer ${await token("billing")}` } });
    assert.equal(otherAudience.status, 401);
  });
});

describe("frank openapi", () => {
  it("writes a document of the app's routes that the official OpenAPI 3.1 schema accepts", async () => {
    const { stdout, stderr } = await run(process.execPath, [FRANK, "openapi", join(FIXTURE, "api.ts")], { cwd: ROOT });
    const document = JSON.parse(stdout);
    const validator = new Validator();
    const result = await validator.validate(document);
    assert.ok(result.valid, JSON.stringify(result.errors));
    assert.deepEqual(document.info, { title: "Orders", version: "1.2.3" });
    assert.deepEqual(Object.keys(document.paths), ["/orders/{id}", "/orders", "/search", "/limited"]);
    assert.deepEqual(document.paths["/search"].get.parameters[0].schema, { type: "string", minLength: 2 });
    assert.match(stderr, /RegExp route has no OpenAPI path template/);
  });

  it("writes YAML to a file, and --strict fails on what it had to leave out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "frank-openapi-"));
    try {
      const out = join(dir, "openapi.yaml");
      const strict = await run(process.execPath, [FRANK, "openapi", join(FIXTURE, "api.ts"), "-o", out, "--strict"], {
        cwd: ROOT,
      }).catch((error) => error);
      assert.equal(strict.code, 1);
      const document = parseYaml(readFileSync(out, "utf8"));
      assert.ok((await new Validator().validate(document)).valid);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("explains an app that is not a frank App", async () => {
    const failed = await run(process.execPath, [FRANK, "openapi", join(FIXTURE, "app.ts")], { cwd: ROOT }).catch(
      (error) => error,
    );
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /without a route table/);
  });
});

describe("frank routes", () => {
  it("names the validated parts of a route, not the schema objects", async () => {
    const { stdout } = await run(process.execPath, [FRANK, "routes", join(FIXTURE, "api.ts")], { cwd: ROOT });
    assert.match(stdout, /POST\s+\/orders\s+validate: json/);
    assert.match(stdout, /GET\s+\/orders\/:id\s+provides: "json", validate: params/);
  });
});
