// A client that goes away half-way through its request body, over a real socket: the access log
// says 499 (a client's doing), and nothing is logged as a server error with a stack.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import { App } from "../src/app/app.js";
import { logError } from "../src/app/internal-methods.js";
import { accessLog } from "../src/middleware/access-log.js";
import { serveForTest } from "./support/serve-app.js";

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends the head and part of the body, then vanishes. */
function vanishMidBody(port: number, head: string, part: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(head + part);
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 100);
    });
    socket.on("error", reject);
  });
}

test("a client that disconnects mid-body is a 499 in the access log, never a logged 500", async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const serverErrors: unknown[] = [];
  const appErrors: unknown[] = [];
  const app = new App();
  app.set({ environment: "production", publicFolder: false });
  app[logError] = (error) => void appErrors.push(error);
  app.post("/whole", async (c) => `read ${(await c.body()).length}`);
  app.post("/form", async (c) => JSON.stringify(await c.form()));
  app.post("/json", async (c) => JSON.stringify(await c.json()));
  app.post("/stream", async (c) => {
    const reader = c.req.body!.getReader();
    let bytes = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
    return `streamed ${bytes}`;
  });
  const server = await serveForTest(t, app, {
    env: "production",
    accessLog: "json",
    logging: () => ({
      accessLog: accessLog({ format: "json", write: (line) => void lines.push(JSON.parse(line)) }),
      logError: (error) => void serverErrors.push(error),
    }),
  });
  const port = server.addresses[0].port;

  const cases = [
    ["/whole", "application/octet-stream", false],
    ["/form", "application/x-www-form-urlencoded", false],
    ["/json", "application/json", false],
    ["/stream", "application/octet-stream", false],
    ["/whole", "application/octet-stream", true],
  ] as const;
  for (const [index, [path, type, chunked]] of cases.entries()) {
    const framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: 100000";
    const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\n${framing}\r\n\r\n`;
    await vanishMidBody(port, head, chunked ? "5\r\nhello\r\n" : "a=1&b=2&c=3");
    await until(() => lines.length > index, `the access log line for ${path}`);
    assert.deepEqual(
      [lines[index].path, lines[index].status, lines[index].level],
      [path, 499, "info"],
      JSON.stringify(lines[index]),
    );
  }
  assert.deepEqual(appErrors, [], "the app logged no error");
  assert.deepEqual(serverErrors, [], "the server logged no error");
});
