// Test timeout: 60 s: launchers taken through their whole shutdown sequence.
// The shutdown sequence of the launcher over real sockets, in a real process:
// readiness off → the delay still serves → listener closed → in-flight requests finish with
// Connection: close → idle keep-alive connections closed → onStop → exit 0.
// Each step is awaited from what the process says or answers, not from fixed sleeps.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { freePort } from "./support/ports.js";
import { httpGet } from "./support/http.js";
import { waitFor } from "./support/wait.js";
import { childOutput } from "./support/child-output.js";
import { REPO_ROOT, launcherUnavailableReason } from "./support/frank-in-pod.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";

const skip = skipUnlessAvailable(launcherUnavailableReason());
const APP = "test/fixtures/apps/lifecycle/app.ts";

interface Running {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  /** Resolves when the output matches. */
  said(pattern: RegExp): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startFrank(
  t: TestContext,
  args: string[],
  env: Record<string, string> = {},
  app = APP,
): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ["bin/frank.js", "-p", String(port), "--host", "127.0.0.1", ...args, app], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, APP_ENV: "production", FRANK_CONTAINER: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = childOutput(child);
  const exit = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  // The banner comes once every listener is bound.
  await output.said(/^== frank is listening on/m);
  const url = `http://127.0.0.1:${port}`;
  return { child, port, url, output: output.text, said: (pattern) => output.said(pattern).then(() => {}), exit };
}

/** A raw HTTP/1.1 connection: send a request, read one response head + body. */
async function openConnection(port: number): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  socket.setEncoding("utf8");
  return socket;
}

function readResponse(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = "";
    const onData = (chunk: string) => {
      received += chunk;
      const headEnd = received.indexOf("\r\n\r\n");
      const length = /content-length: (\d+)/i.exec(received);
      if (headEnd >= 0 && length && received.length >= headEnd + 4 + Number(length[1])) {
        socket.off("data", onData);
        resolve(received);
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
  });
}

async function request(socket: Socket, path: string): Promise<string> {
  const answer = readResponse(socket);
  socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
  return answer;
}

test("SIGTERM: readiness turns 503, the delay still serves with Connection: close, then the listener closes and frank exits 0", {
  skip,
}, async (t) => {
  const frank = await startFrank(t, ["--shutdown-delay", "1.5", "--drain-timeout", "5"]);
  await frank.said(/onStart ran/);
  assert.equal((await httpGet(frank.url + "/readyz")).status, 200);

  frank.child.kill("SIGTERM");
  await frank.said(/readiness is off/);
  const readiness = await httpGet(frank.url + "/readyz");
  assert.equal(readiness.status, 503);
  const during = await httpGet(frank.url + "/");
  assert.equal(during.status, 200, "the delay still serves");
  assert.equal(during.body, "quick");
  assert.equal(during.headers.connection, "close");
  assert.equal((await httpGet(frank.url + "/livez")).status, 200, "still alive");

  await frank.said(/stopped accepting connections/);
  await assert.rejects(httpGet(frank.url + "/"), { code: "ECONNREFUSED" });
  assert.deepEqual(await frank.exit, { code: 0, signal: null });
  assert.match(frank.output(), /onStop ran/);
});

test("a request in flight at SIGTERM completes, says Connection: close, and only then frank exits", {
  skip,
}, async (t) => {
  const frank = await startFrank(t, ["--shutdown-delay", "0", "--drain-timeout", "10"]);
  const socket = await openConnection(frank.port);
  const answer = request(socket, "/slow?ms=700");
  await frank.said(/slow request started/);
  frank.child.kill("SIGTERM");
  await frank.said(/waiting up to 10 s for 1 request in flight/);
  const response = await answer;
  assert.match(response, /^HTTP\/1\.1 200 /);
  assert.match(response, /Connection: close/i);
  assert.match(response, /slow done$/);
  await once(socket, "close");
  assert.deepEqual(await frank.exit, { code: 0, signal: null });
  const output = frank.output();
  assert.ok(output.indexOf("onStop ran") > output.indexOf("waiting up to"), "onStop runs after the drain");
});

test("idle keep-alive connections are closed when the listener closes", { skip }, async (t) => {
  const frank = await startFrank(t, ["--shutdown-delay", "0"]);
  const idle = await openConnection(frank.port);
  assert.match(await request(idle, "/"), /Connection: keep-alive/i);
  const closed = once(idle, "close");
  frank.child.kill("SIGTERM");
  await closed;
  assert.deepEqual(await frank.exit, { code: 0, signal: null });
});

test("requests still running at the drain timeout are cut off and logged; frank still exits 0", { skip }, async (t) => {
  const frank = await startFrank(t, ["--shutdown-delay", "0", "--drain-timeout", "0.3"]);
  const socket = await openConnection(frank.port);
  socket.on("error", () => {});
  void request(socket, "/slow?ms=60000").catch(() => {});
  await frank.said(/slow request started/);
  frank.child.kill("SIGTERM");
  await once(socket, "close");
  assert.deepEqual(await frank.exit, { code: 0, signal: null });
  assert.match(frank.output(), /cut off GET \/slow\?ms=60000/);
});

test("a second signal exits at once", { skip }, async (t) => {
  const frank = await startFrank(t, ["--shutdown-delay", "60"]);
  frank.child.kill("SIGTERM");
  await frank.said(/readiness is off/);
  frank.child.kill("SIGINT");
  const exit = await frank.exit;
  assert.notEqual(exit.code, 0, "a forced exit is not a clean one");
  assert.doesNotMatch(frank.output(), /onStop ran/);
});

test("with workers the primary runs the sequence for all of them and exits when they have", { skip }, async (t) => {
  const frank = await startFrank(t, ["-w", "2", "--shutdown-delay", "1", "--drain-timeout", "5"]);
  await frank.said(/onStart ran[\s\S]*onStart ran/); // both workers started
  frank.child.kill("SIGTERM");
  await waitFor(async () => (await httpGet(frank.url + "/readyz")).status === 503, {
    description: "readiness off in the workers",
  });
  assert.equal((await httpGet(frank.url + "/")).status, 200, "the workers still serve during the delay");
  assert.deepEqual(await frank.exit, { code: 0, signal: null });
  assert.equal((frank.output().match(/onStop ran/g) ?? []).length, 2, frank.output());
});

test("the health paths are settings of the launcher and can be turned off", { skip }, async (t) => {
  const frank = await startFrank(t, [], { FRANK_LIVENESS_PATH: "/healthz", FRANK_READINESS_PATH: "off" });
  assert.equal((await httpGet(frank.url + "/healthz")).status, 200);
  assert.equal((await httpGet(frank.url + "/livez")).status, 404, "/livez is the app's path again");
  assert.equal((await httpGet(frank.url + "/readyz")).status, 404, "readiness is off: the app answers");
});

test("errors are logged with their stack as JSON in production, next to JSON access lines", { skip }, async (t) => {
  const frank = await startFrank(t, [], {}, "test/fixtures/apps/lifecycle/throwing.ts");
  assert.equal((await httpGet(frank.url + "/boom")).status, 500);
  const socket = await openConnection(frank.port);
  const answer = readResponse(socket);
  socket.write("GET / HTTP/1.1\r\nHost: test\r\nX-Request-Id: abc-123\r\n\r\n");
  assert.match(await answer, /x-request-id: abc-123/i, "the id is echoed");
  socket.end();
  await frank.said(/"request_id":"abc-123"/);
  const lines = frank
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"));
  const access = lines.map((line) => JSON.parse(line)).filter((entry) => entry.status !== undefined);
  const error = lines.map((line) => JSON.parse(line)).find((entry) => entry.stack !== undefined);
  assert.ok(error, frank.output());
  assert.match(error.stack, /the fixture fails on purpose\n\s+at /);
  assert.deepEqual(
    access.map((entry) => [entry.method, entry.path, entry.status]),
    [
      ["GET", "/boom", 500],
      ["GET", "/", 200],
    ],
    "probes (/livez while starting) are not in the access log",
  );
  assert.equal(access[1].remote_addr, "127.0.0.1");
});
