// Test timeout: 90 s: four development launchers, each waiting for a restart after an edit.
// `frank --reload` (on by default in development) as a developer meets it: real processes and
// sockets, files edited the ways editors edit them.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type Frank, frank, scratchWithFrank, stop } from "./support/launcher.js";

/** The URL of the latest banner: each restart listens anew (on a new port with -p 0). */
function latestUrl(running: Frank): string | undefined {
  return [...running.output().matchAll(/^ {3}(http:\/\/\S+\/)\n/gm)].map((m) => m[1]).at(-1);
}

/** Polls the latest server until `accept` likes an answer (or 20 s pass); returns the last answer. */
async function answerWhen(
  running: Frank,
  path: string,
  accept: (res: { status: number; text: string }) => boolean,
  init?: RequestInit,
): Promise<{ status: number; text: string; headers: Headers }> {
  const deadline = Date.now() + 20_000;
  let last = { status: 0, text: "", headers: new Headers() };
  while (Date.now() < deadline) {
    const url = latestUrl(running);
    if (url) {
      last = await fetch(url + path.replace(/^\//, ""), init).then(
        async (res) => ({ status: res.status, text: await res.text(), headers: res.headers }),
        () => last,
      );
      if (accept(last)) return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return last;
}

const restarts = (running: Frank) => running.output().match(/changed, restarting/g)?.length ?? 0;

/** Waits until frank has reported the child ready and watching (its banner printed once more). */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

test("--reload watches the app's module graph, not every file in its folder", async () => {
  const dir = scratchWithFrank({
    "app.ts": `import { message } from "./lib/message.js";\nexport default { fetch: () => new Response(message) };\n`,
    "lib/message.ts": `export const message = "one";\n`,
    "notes.md": "not imported",
  });
  const running = frank(["-o", "127.0.0.1", "-p", "0"], { cwd: dir });
  try {
    assert.equal((await answerWhen(running, "/", (r) => r.text === "one")).text, "one", running.output());
    await settle();
    // What the app writes (a log, data) and files it never imports change nothing.
    writeFileSync(join(dir, "server.log"), "a line of log\n");
    writeFileSync(join(dir, "data.json"), "{}");
    writeFileSync(join(dir, "notes.md"), "edited");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(restarts(running), 0, running.output());
    // A file it imports does.
    writeFileSync(join(dir, "lib/message.ts"), `export const message = "two";\n`);
    assert.equal((await answerWhen(running, "/", (r) => r.text === "two")).text, "two", running.output());
    assert.match(running.output(), /lib\/message\.ts changed, restarting/);
  } finally {
    assert.deepEqual(await stop(running), { code: 0, signal: null });
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--reload keeps working after atomic saves (a copy renamed over the file, as editors and sed -i do)", async () => {
  const dir = scratchWithFrank({ "app.ts": `export default { fetch: () => new Response("v1") };\n` });
  const running = frank(["-o", "127.0.0.1", "-p", "0"], { cwd: dir });
  const atomicSave = (text: string) => {
    writeFileSync(join(dir, ".app.ts.swp"), text);
    renameSync(join(dir, ".app.ts.swp"), join(dir, "app.ts"));
  };
  try {
    assert.equal((await answerWhen(running, "/", (r) => r.text === "v1")).text, "v1", running.output());
    await settle();
    atomicSave(`export default { fetch: () => new Response("v2") };\n`);
    assert.equal((await answerWhen(running, "/", (r) => r.text === "v2")).text, "v2", running.output());
    await settle();
    atomicSave(`export default { fetch: () => new Response("v3") };\n`);
    assert.equal((await answerWhen(running, "/", (r) => r.text === "v3")).text, "v3", running.output());
  } finally {
    await stop(running);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("while an edit keeps the app from loading, the browser gets the development error page; the fix brings it back", async () => {
  const dir = scratchWithFrank({ "app.ts": `export default { fetch: () => new Response("fine") };\n` });
  const running = frank(["-o", "127.0.0.1", "-p", "0"], { cwd: dir });
  try {
    assert.equal((await answerWhen(running, "/", (r) => r.text === "fine")).text, "fine", running.output());
    await settle();
    writeFileSync(join(dir, "app.ts"), `export default { fetch: () => new Response("broken" };\n`);
    const page = await answerWhen(running, "/", (r) => r.status === 500, { headers: { accept: "text/html" } });
    assert.equal(page.status, 500, running.output());
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(page.text, /syntax error in app\.ts/);
    await settle();
    writeFileSync(join(dir, "app.ts"), `export default { fetch: () => new Response("fixed") };\n`);
    assert.equal((await answerWhen(running, "/", (r) => r.text === "fixed")).text, "fixed", running.output());
  } finally {
    assert.deepEqual(await stop(running), { code: 0, signal: null });
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sessions survive a reload in development: the secret is kept per app folder, outside it", async () => {
  const state = mkdtempSync(join(tmpdir(), "frank-state-"));
  const app = (greeting: string) => `import { App } from "frank";
const app = new App();
app.enable("sessions");
app.get("/visit", (c) => {
  c.session.visits = Number(c.session.visits ?? 0) + 1;
  return "${greeting} " + String(c.session.visits);
});
export default app;
`;
  const dir = scratchWithFrank({ "app.ts": app("hello") });
  const running = frank(["-o", "127.0.0.1", "-p", "0"], { cwd: dir, env: { XDG_STATE_HOME: state } });
  try {
    const first = await fetch((await running.url) + "visit");
    assert.equal(await first.text(), "hello 1", running.output());
    const cookie = first.headers.getSetCookie()[0].split(";")[0];
    await settle();
    writeFileSync(join(dir, "app.ts"), app("welcome back"));
    const after = await answerWhen(running, "/visit", (r) => r.text.startsWith("welcome back"), {
      headers: { cookie },
    });
    assert.equal(after.text, "welcome back 2", running.output());
    assert.doesNotMatch(running.output(), /using a random secret/);
    const kept = join(state, "frank", "session-secrets");
    assert.equal(readdirSync(kept).length, 1, "one secret for the one app folder");
    assert.ok(!existsSync(join(dir, ".frank")), "nothing written into the app's folder");
  } finally {
    await stop(running);
    rmSync(dir, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }
});
