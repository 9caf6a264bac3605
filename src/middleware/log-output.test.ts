// Test timeout: 60 s: four child processes, 4 MB each through a pipe read slowly.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

const OUTPUT = new URL("./log-output.ts", import.meta.url).href;

/**
 * Runs `body` in a child that has log-output loaded (and process.stdout set up, as the banner
 * does, which makes a stdout pipe non-blocking), reading its stdout slowly through a pipe.
 */
async function runChild(body: string, readDelayMs = 0): Promise<{ stdout: string; code: number | null }> {
  const script = `import { writeLineToStdout } from ${JSON.stringify(OUTPUT)}; process.stdout; ${body}`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  child.stdout.pause();
  // The pause is the behaviour under test: a reader that starts late, so the pipe fills up.
  if (readDelayMs > 0) await sleep(readDelayMs);
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { stdout, code };
}

/** 20,000 numbered lines of about 200 bytes: 4 MB, far more than a pipe holds. */
const MANY = `for (let i = 0; i < 20000; i++) writeLineToStdout(JSON.stringify({ n: i, pad: "x".repeat(180) }));`;

function assertEveryLine(stdout: string, count: number): void {
  const lines = stdout.split("\n");
  assert.equal(lines.pop(), "", "the output ends with a newline");
  assert.equal(lines.length, count);
  for (const [i, line] of lines.entries()) assert.equal(JSON.parse(line).n, i, `line ${i} is whole and in order`);
}

test("every line reaches a slow pipe reader when the process exits at once", async () => {
  const { stdout, code } = await runChild(`${MANY} process.exit(0);`, 300);
  assert.equal(code, 0);
  assertEveryLine(stdout, 20000);
});

test("every line is written before an uncaught exception ends the process", async () => {
  const { stdout, code } = await runChild(`${MANY} setImmediate(() => { throw new Error("crash"); });`, 300);
  assert.equal(code, 1);
  assertEveryLine(stdout, 20000);
});

test("a lone line is written while the process goes on, without waiting for more", async () => {
  const script = `import { writeLineToStdout } from ${JSON.stringify(OUTPUT)}; writeLineToStdout("one"); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  try {
    let stdout = "";
    for await (const chunk of child.stdout.setEncoding("utf8")) {
      stdout += chunk;
      if (stdout.endsWith("\n")) break;
    }
    assert.equal(stdout, "one\n");
  } finally {
    child.kill("SIGKILL");
  }
});

test("a line longer than a batch, and non-ASCII text, arrive whole", async () => {
  const { stdout } = await runChild(
    `writeLineToStdout("ü".repeat(3000)); writeLineToStdout("ok"); writeLineToStdout("€".repeat(10000));`,
  );
  assert.equal(stdout, `${"ü".repeat(3000)}\nok\n${"€".repeat(10000)}\n`);
});

test("cluster workers sharing one slow pipe never cut into each other's lines", async () => {
  // A cluster needs a script file (a worker runs process.argv[1] again).
  const dir = await mkdtemp(join(tmpdir(), "frank-log-output-"));
  const script = join(dir, "workers.mjs");
  await writeFile(
    script,
    `import cluster from "node:cluster";
import { writeLineToStdout } from ${JSON.stringify(OUTPUT)};
if (cluster.isPrimary) {
  let left = 3;
  for (let i = 0; i < 3; i++) cluster.fork();
  cluster.on("exit", () => { if (--left === 0) process.exit(0); });
} else {
  process.stdout;
  for (let n = 0; n < 6000; n++) writeLineToStdout(JSON.stringify({ w: cluster.worker.id, n, pad: "y".repeat(170 + (n % 50)) }));
  process.exit(0);
}
`,
  );
  try {
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "ignore"] });
    child.stdout.pause();
    await sleep(300); // the workers fill the pipe and wait for it
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stdout.resume();
    assert.equal(await new Promise((resolve) => child.on("close", resolve)), 0);
    const lines = stdout.split("\n");
    assert.equal(lines.pop(), "");
    const next = new Map<number, number>();
    for (const line of lines) {
      const { w, n } = JSON.parse(line) as { w: number; n: number }; // throws on a cut line
      assert.equal(n, next.get(w) ?? 0, `worker ${w}'s lines are whole and in order`);
      next.set(w, n + 1);
    }
    assert.deepEqual([...next.values()], [6000, 6000, 6000]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
