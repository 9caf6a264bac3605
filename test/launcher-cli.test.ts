// Test timeout: 240 s: some forty launcher processes, each started, asked and stopped.
// The `frank` command as a user runs it: real processes, real sockets on loopback.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { cleanEnv, FIXTURES, frank, frankOnce, printed, ROOT, scratch, stop } from "./support/launcher.js";

function assertOneLineError(result: { status: number | null; stderr: string }, pattern: RegExp, status = 1) {
  assert.equal(result.status, status, result.stderr);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
}

test("serves a TypeScript { fetch } app, exports APP_ENV before loading it, and sets settings.root", async () => {
  const running = frank([
    "test/fixtures/apps/plain/app.ts",
    "-o",
    "127.0.0.1",
    "-p",
    "0",
    "-E",
    "staging",
    "--no-reload",
  ]);
  try {
    const url = await running.url;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/, running.output());
    const env = (await (await fetch(url + "env")).json()) as { APP_ENV: string; root: string };
    assert.equal(env.APP_ENV, "staging");
    assert.equal(env.root, join(FIXTURES, "plain"));
    await printed(
      running,
      /environment staging from --env\n.*host 127\.0\.0\.1 \(loopback only\) from --host\n.*port 0 from --port/,
    );
  } finally {
    assert.deepEqual(await stop(running), { code: 0, signal: null });
  }
});

test("serves a Hono app file", async () => {
  const running = frank(["test/fixtures/apps/hono/app.ts", "--host", "localhost", "--port", "0", "--no-reload"]);
  try {
    const url = await running.url;
    assert.equal(await (await fetch(url)).text(), "hello from hono");
    const echo = await fetch(url + "echo", { method: "POST", body: "posted" });
    assert.equal(await echo.text(), "posted");
    await printed(running, /http:\/\/\[::1\]:\d+\//); // localhost is both loopback addresses
  } finally {
    await stop(running);
  }
});

test("serves `export default class MyApp extends App` (Sinatra's modular style) as new MyApp()", async () => {
  const running = frank(["test/fixtures/apps/modular/app.ts", "-o", "127.0.0.1", "-p", "0", "--no-reload"]);
  try {
    const url = await running.url;
    const res = await fetch(url);
    assert.deepEqual([res.status, await res.text()], [200, "served by new MyApp()"], running.output());
    assert.equal(await (await fetch(url + "root")).text(), join(FIXTURES, "modular"));
  } finally {
    await stop(running);
  }
});

test("serves a plain handler function from a .js file, found by the default file names", async () => {
  const running = frank(["-o", "127.0.0.1", "-p", "0", "--no-reload"], { cwd: join(FIXTURES, "function") });
  try {
    assert.equal(await (await fetch((await running.url) + "x")).text(), "function /x");
  } finally {
    await stop(running);
  }
});

test("an app's own port and bind settings count, and a root it chose stays", async () => {
  const config = frankOnce(["config", "test/fixtures/apps/settings/app.ts", "--json"]);
  assert.equal(config.status, 0, config.stderr);
  const json = JSON.parse(config.stdout);
  assert.deepEqual(json.port, { value: 4999, source: "app setting port" });
  assert.equal(json.host.source, "app setting bind");
  assert.equal(json.file, join(FIXTURES, "settings/app.ts"));

  const running = frank(["test/fixtures/apps/settings/app.ts", "-p", "0", "--no-reload"]);
  try {
    const url = await running.url;
    assert.match(url, /^http:\/\/127\.0\.0\.1:/);
    assert.deepEqual(await (await fetch(url)).json(), { root: "/chosen/by/the/app" });
  } finally {
    await stop(running);
  }
});

test("-r loads a module before the app", async () => {
  const running = frank(["app.ts", "-r", "./setup.ts", "-o", "127.0.0.1", "-p", "0", "--no-reload"], {
    cwd: join(FIXTURES, "required"),
  });
  try {
    assert.equal(await (await fetch(await running.url)).text(), "setup.ts ran first");
  } finally {
    await stop(running);
  }
});

test("SIGINT and SIGTERM close the server and exit 0", async () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const running = frank(["test/fixtures/apps/plain/app.ts", "-o", "127.0.0.1", "-p", "0", "--no-reload"]);
    await running.url;
    assert.deepEqual(await stop(running, signal), { code: 0, signal: null }, running.output());
    await printed(running, new RegExp(`got ${signal}, closing`));
  }
});

test("--reload restarts the app when a file changes (on by default in development)", async (t) => {
  const dir = scratch({ "app.ts": `export default { fetch: () => new Response("one") };\n` });
  const running = frank(["-o", "127.0.0.1", "-p", "0"], { cwd: dir });
  try {
    const url = await running.url;
    assert.equal(await (await fetch(url)).text(), "one");
    const port = new URL(url).port;
    const editedAt = Date.now();
    writeFileSync(join(dir, "app.ts"), `export default { fetch: () => new Response("two") };\n`);
    // The restarted app announces itself with a new banner (a new port, as it asks for port 0).
    const [, newUrl] = await running.said(/app\.ts changed, restarting[\s\S]*^ {3}(http:\/\/\S+\/)\n/m);
    const answer = await (await fetch(newUrl)).text();
    assert.equal(answer, "two", running.output());
    // Reported, not asserted: a timed assertion would only measure how busy the machine is.
    t.diagnostic(`the edit was served ${Date.now() - editedAt} ms after it was saved`);
    assert.match(running.output(), /app\.ts changed, restarting/);
    assert.ok(port);
  } finally {
    assert.deepEqual(await stop(running), { code: 0, signal: null });
    rmSync(dir, { recursive: true, force: true });
  }
});

test("-w 2 runs two worker processes that share the port", async () => {
  const running = frank(["test/fixtures/apps/plain/app.ts", "-o", "127.0.0.1", "-p", "0", "-w", "2", "--no-reload"]);
  try {
    const url = await running.url;
    await printed(running, /workers 2 from --workers/);
    const pids = new Set<number>();
    for (let i = 0; i < 20 && pids.size < 2; i++) {
      const res = await fetch(url + "env", { headers: { connection: "close" } });
      const body = (await res.json()) as { pid: number; APP_ENV: string };
      assert.equal(body.APP_ENV, "development", "workers get APP_ENV");
      pids.add(body.pid);
    }
    assert.equal(pids.size, 2);
    assert.ok(!pids.has(running.child.pid!), "the primary does not serve");
  } finally {
    assert.deepEqual(await stop(running), { code: 0, signal: null });
  }
});

test("--help prints the defaults as they are computed right now", () => {
  const help = frankOnce(["--help"], {
    env: { PORT: "9292", KUBERNETES_SERVICE_HOST: "10.96.0.1", FRANK_CONTAINER: "" },
  });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /now 9292 from PORT/);
  assert.match(help.stdout, /now :: because KUBERNETES_SERVICE_HOST is set/);
  assert.match(help.stdout, /now development by default/);
  assert.match(help.stdout, /FILE defaults to the first of app\.ts, app\.js, src\/app\.ts, index\.ts/);
  const laptop = frankOnce(["serve", "-h"], { env: { APP_ENV: "production" } });
  assert.match(laptop.stdout, /now :: because environment is production/);
  assert.match(laptop.stdout, /--reload .*now off/);
});

test("--version prints the package version", () => {
  const version = frankOnce(["--version"]);
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
});

test("an unknown option is an error with the usage and exit status 2", () => {
  const result = frankOnce(["--prot", "80"]);
  assertOneLineError(result, /^frank: Unknown option '--prot'\nUsage: frank \[serve\] \[FILE\]/, 2);
});

test("explained errors: one line, no stack, non-zero exit", async (t) => {
  await t.test("PORT holding a Kubernetes service link", () => {
    const result = frankOnce(["test/fixtures/apps/plain/app.ts"], { env: { PORT: "tcp://10.0.0.1:80" } });
    assertOneLineError(
      result,
      /^frank: PORT is "tcp:\/\/10\.0\.0\.1:80", not a port number: .*service link.*enableServiceLinks: false/,
    );
  });
  await t.test("a FILE that does not exist", () => {
    assertOneLineError(frankOnce(["nope.ts"]), /^frank: nope\.ts does not exist \(looked in /);
  });
  await t.test("no FILE and no default file", () => {
    const dir = scratch({});
    try {
      assertOneLineError(
        frankOnce([], { cwd: dir }),
        /^frank: no app file in .*: looked for app\.ts, app\.js, src\/app\.ts, index\.ts/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  await t.test("a FILE that exports nothing servable", () => {
    const dir = scratch({ "app.ts": "export const answer = 42;\n" });
    try {
      assertOneLineError(
        frankOnce(["app.ts", "--no-reload"], { cwd: dir }),
        /^frank: app\.ts exports nothing frank can serve: .*; it exports answer$/m,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  await t.test("a syntax error in a TypeScript FILE names file, line and column", () => {
    const dir = scratch({ "app.ts": "const ok = 1;\nconst broken: number = ;\nexport default ok;\n" });
    try {
      assertOneLineError(
        frankOnce(["app.ts", "--no-reload"], { cwd: dir }),
        /^frank: syntax error in app\.ts: app\.ts:2:24: Unexpected ";"$/m,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  await t.test("a syntax error in a JavaScript FILE names file and line", () => {
    const dir = scratch({ "app.js": "const ok = 1;\n\nconst broken = ;\n" });
    try {
      assertOneLineError(
        frankOnce(["app.js", "--no-reload"], { cwd: dir }),
        /^frank: syntax error in app\.js: app\.js:3: Unexpected token ';'$/m,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  await t.test("a FILE that throws while loading", () => {
    const dir = scratch({ "app.ts": "\nthrow new Error('no database');\n" });
    try {
      assertOneLineError(
        frankOnce(["app.ts", "--no-reload"], { cwd: dir }),
        /^frank: app\.ts failed while loading: Error: no database \(at app\.ts:2\)$/m,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  await t.test("a port in use names the process holding it", async () => {
    const holder = createServer().listen(0, "127.0.0.1");
    await once(holder, "listening");
    const { port } = holder.address() as AddressInfo;
    try {
      const result = frankOnce([
        "test/fixtures/apps/plain/app.ts",
        "-o",
        "127.0.0.1",
        "-p",
        String(port),
        "--no-reload",
      ]);
      assertOneLineError(
        result,
        new RegExp(
          `^frank: port ${port} is already in use \\(127\\.0\\.0\\.1:${port}\\) by process ${process.pid} \\(`,
        ),
      );
    } finally {
      holder.close();
    }
  });
  await t.test("an app that cannot compile stops before it listens: no SESSION_SECRET in production", () => {
    assertOneLineError(
      frankOnce(["test/fixtures/apps/start-errors/sessions.ts", "-E", "production", "-o", "127.0.0.1"]),
      /^frank: the app cannot start: sessions need SESSION_SECRET in production: .*openssl rand -hex 32$/m,
    );
  });
  await t.test(
    "an app that cannot compile stops before it listens: a middleware that throws, a missing views folder",
    () => {
      for (const [file, pattern] of [
        ["middleware.ts", /^frank: the app cannot start: REDIS_URL is not set$/m],
        ["views.ts", /^frank: the app cannot start: the views folder .*templates does not exist/m],
      ] as const) {
        const result = frankOnce([`test/fixtures/apps/start-errors/${file}`, "-E", "production", "-o", "127.0.0.1"]);
        assertOneLineError(result, pattern);
        assert.doesNotMatch(result.stdout, /listening/, "the banner never appears");
      }
    },
  );
  await t.test("a HOST that is not a host", () => {
    assertOneLineError(
      frankOnce(["test/fixtures/apps/plain/app.ts"], { env: { HOST: "http://0.0.0.0" } }),
      /^frank: HOST is "http:\/\/0\.0\.0\.0", which is not an address/,
    );
  });
});

test("loud warnings: loopback in a container, development in Kubernetes, disagreeing environments", async () => {
  const running = frank(["test/fixtures/apps/plain/app.ts", "-o", "127.0.0.1", "-p", "0", "--no-reload"], {
    env: { FRANK_CONTAINER: "", KUBERNETES_SERVICE_HOST: "10.96.0.1", RACK_ENV: "development", NODE_ENV: "production" },
  });
  try {
    await running.url;
    await printed(running, /(!! WARNING[\s\S]*){3}/);
    const output = running.output();
    assert.match(
      output,
      /!! WARNING: listening on loopback only \(127\.0\.0\.1, from --host\) inside a container \(KUBERNETES_SERVICE_HOST is set\).*Fix: drop --host/,
    );
    assert.match(output, /!! WARNING: environment is development \(from RACK_ENV\) inside Kubernetes/);
    assert.match(output, /!! WARNING: RACK_ENV=development, NODE_ENV=production disagree/);
  } finally {
    await stop(running);
  }
});

test("frank config prints every value with its source, as a table or JSON", () => {
  const table = frankOnce(["config", "test/fixtures/apps/plain/app.ts"], {
    env: { PORT: "8080", APP_ENV: "production" },
  });
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /^environment\s+production\s+APP_ENV$/m);
  assert.match(table.stdout, /^port\s+8080\s+PORT$/m);
  assert.match(table.stdout, /^host\s+(::|0\.0\.0\.0) \(all\)\s+environment is production$/m);
  assert.match(table.stdout, /^container\s+no\s+FRANK_CONTAINER=0$/m);
  assert.match(table.stdout, /^metrics\s+\/metrics\s+default$/m);

  const json = JSON.parse(frankOnce(["config", "--json", "-p", "1234"], { cwd: join(FIXTURES, "plain") }).stdout);
  assert.deepEqual(json.port, { value: 1234, source: "--port" });
  assert.deepEqual(json.environment, { value: "development", source: "default" });
  assert.equal(json.host.kind, "loopback");
  assert.deepEqual(json.container, { inContainer: false, kubernetes: false, reason: "FRANK_CONTAINER=0" });
  assert.deepEqual(json.warnings, []);
});

test("bin/frank.js runs the compiled launcher", () => {
  const result = spawnSync(process.execPath, [join(ROOT, "bin/frank.js"), "--version"], {
    encoding: "utf8",
    env: cleanEnv(),
  });
  if (result.status === 0) assert.match(result.stdout, /^\d+\.\d+\.\d+/);
  else assert.match(result.stderr, /dist\/cli\/main\.js is missing; run `npm run build`/);
});

test("the compiled launcher bundles an app's TypeScript; --tsx loads a .ts file imported by a computed path", async () => {
  const dir = scratch({
    "app.ts": [
      // A path esbuild cannot see (a template literal like `./${name}.ts` it would bundle by pattern).
      'const path: string = ["./plug", "in.ts"].join("");',
      "const plugin = await import(new URL(path, import.meta.url).href);",
      "export default (): Response => new Response(plugin.greeting);",
    ].join("\n"),
    "plugin.ts": "export const greeting: string = 'hello from a plugin';\n",
  });
  const compiled = (args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "bin/frank.js"), ...args], {
      cwd: dir,
      encoding: "utf8",
      env: cleanEnv({ TMPDIR: dir }),
      timeout: 30_000,
    });
  try {
    const bundled = compiled(["routes", "app.ts"]);
    assert.equal(bundled.status, 1, bundled.stderr);
    // process.features.typescript is "strip" or "transform" where Node loads .ts files itself (22.18+).
    if ((process.features as { typescript?: string | false }).typescript) {
      // So the app loads (and, being a plain handler, has no routes to list).
      assert.match(bundled.stderr, /exports a handler without a route table/);
    } else {
      assert.match(
        bundled.stderr,
        /^frank: app\.ts failed while loading: TypeError: Unknown file extension "\.ts" .*; a TypeScript file imported by a computed path loads with --tsx$/m,
      );
    }

    const running = frank(["app.ts", "--tsx", "-o", "127.0.0.1", "-p", "0", "--no-reload"], {
      cwd: dir,
      env: { TMPDIR: dir },
      compiled: true,
    });
    try {
      const url = await running.url;
      assert.ok(url, running.output());
      assert.equal(await (await fetch(url)).text(), "hello from a plugin");
    } finally {
      running.child.kill("SIGTERM");
      await running.exit;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a missing subcommand module is a clear error", () => {
  const result = frankOnce(["routes", "--help"]);
  // routes is written separately; either it runs, or frank says it is not part of this build.
  if (result.status !== 0)
    assert.match(result.stderr, /^frank: the routes command is not part of this build of frank$/m);
});
