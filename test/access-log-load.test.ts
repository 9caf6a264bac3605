// Test timeout: 60 s: two frank processes, each under a load of up to 20,000 requests.
// The access log under load loses nothing: every request a client got an answer to has its
// JSON line on stdout, exactly once, when frank stops on SIGTERM in the middle of the load and
// when an uncaught exception ends it. The lines are written in batches (log-output.ts), so this
// is what the batches must never cost.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { Agent, request } from "node:http";
import { test } from "node:test";
import { REPO_ROOT, launcherUnavailableReason } from "./support/frank-in-pod.js";
import { httpGet } from "./support/http.js";
import { freePort } from "./support/ports.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";
import { waitFor } from "./support/wait.js";

const skip = skipUnlessAvailable(launcherUnavailableReason());
const APP = "test/fixtures/apps/access-log/app.ts";
/** Bounds of the load: it stops by itself. */
const CLIENTS = 8;
const MAX_REQUESTS = 20_000;
const DEADLINE_MS = 60_000;

async function startFrank(port: number) {
  const child = spawn(process.execPath, ["bin/frank.js", "-p", String(port), "--host", "127.0.0.1", APP], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, APP_ENV: "production", FRANK_CONTAINER: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  // A slow reader (a log shipper that falls behind): about 200 bytes per millisecond, so the
  // pipe fills up under load and frank has to wait for it rather than drop or queue lines.
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), Math.ceil(chunk.length / 200));
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exit = once(child, "close").then(([code]) => code as number | null);
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`frank exited: ${stderr}`);
      return (await httpGet(`http://127.0.0.1:${port}/livez`, { timeoutMs: 500 })).status === 200;
    },
    { description: "frank to listen", timeoutMs: 30_000 },
  );
  return { child, exit, stdout: () => stdout, stderr: () => stderr };
}

/** GET /hello with a request id; resolves to the id when a 200 came back, undefined when the server was gone. */
function hello(agent: Agent, port: number, id: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/hello", agent, headers: { "x-request-id": id }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode === 200 ? id : undefined));
        res.on("error", () => resolve(undefined));
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

/**
 * CLIENTS keep-alive clients send requests back to back; once `trigger` answers have come back,
 * `onTrigger` runs (the signal or the crash); the clients stop at their first failure. Returns
 * the ids that got a 200.
 */
async function loadUntilGone(port: number, trigger: number, onTrigger: () => void): Promise<Set<string>> {
  const answered = new Set<string>();
  const deadline = Date.now() + DEADLINE_MS;
  let sent = 0;
  let triggered = false;
  const client = async (n: number) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (sent < MAX_REQUESTS && Date.now() < deadline) {
        const id = `load-${n}-${sent++}`;
        const answer = await hello(agent, port, id);
        if (answer === undefined) return;
        answered.add(answer);
        if (!triggered && answered.size >= trigger) {
          triggered = true;
          onTrigger();
        }
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
  return answered;
}

function loggedIds(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { path: string; request_id: string })
    .filter((entry) => entry.path === "/hello")
    .map((entry) => entry.request_id);
}

function assertOneLineEach(answered: Set<string>, logged: string[]): void {
  const unique = new Set(logged);
  assert.equal(unique.size, logged.length, "no request is logged twice");
  const missing = [...answered].filter((id) => !unique.has(id));
  assert.deepEqual(missing.slice(0, 5), [], `${missing.length} answered requests have no log line`);
  assert.equal(logged.length, answered.size, "one line per request served");
}

test("SIGTERM in the middle of a load: one log line per request served", { skip }, async () => {
  const port = await freePort();
  const frank = await startFrank(port);
  const answered = await loadUntilGone(port, 3000, () => frank.child.kill("SIGTERM"));
  assert.equal(await frank.exit, 0, frank.stderr());
  assert.ok(answered.size >= 3000, `${answered.size} answers`);
  assertOneLineEach(answered, loggedIds(frank.stdout()));
});

test("an uncaught exception in the middle of a load: every line written before the process ends", {
  skip,
}, async () => {
  const port = await freePort();
  const frank = await startFrank(port);
  const answered = await loadUntilGone(
    port,
    3000,
    () => void httpGet(`http://127.0.0.1:${port}/crash`).catch(() => {}),
  );
  assert.equal(await frank.exit, 1, frank.stderr());
  assert.match(frank.stderr(), /the fixture crashes on purpose/);
  assertOneLineEach(answered, loggedIds(frank.stdout()));
});
