// Every layer that catches a thrown error answers (and logs) the status the one rule in
// src/http/error-status.ts gives it: the App's dispatch, the Node adapter over a real socket,
// the development error page and the access log.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { App } from "../src/app/app.js";
import { statusOf } from "../src/http/error-status.js";
import { HttpError } from "../src/http/http-error.js";
import { accessLog } from "../src/middleware/access-log.js";
import { renderErrorPage } from "../src/middleware/show-exceptions.js";
import { toNodeListener } from "../src/server/node-adapter.js";

const ERRORS: Array<[string, () => unknown]> = [
  ["HttpError(418)", () => new HttpError(418)],
  ["HttpError(503)", () => new HttpError(503)],
  ["URIError", () => new URIError("URI malformed")],
  ["statusCode 429", () => Object.assign(new Error("too many"), { statusCode: 429 })],
  ["status 410", () => Object.assign(new Error("gone"), { status: 410 })],
  ["status 302", () => Object.assign(new Error("not an error status"), { status: 302 })],
  ["Error", () => new Error("boom")],
];

test("the App, the Node adapter, the error page and the access log agree on each error's status", async () => {
  const app = new App();
  app.set({ environment: "production", dumpErrors: false, publicFolder: false });
  app.get("/:which", (c) => {
    throw ERRORS[Number(c.params.which)][1]();
  });

  const logged: number[] = [];
  const throwing = (req: Request): Response => {
    throw ERRORS[Number(new URL(req.url).pathname.slice(1))][1]();
  };
  const logging = accessLog({ format: "json", write: (line) => logged.push(JSON.parse(line).status) });
  const server = createServer(toNodeListener(logging(throwing), { onError: () => {} }));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  try {
    for (const [index, [name, make]] of ERRORS.entries()) {
      const expected = statusOf(make());
      assert.equal((await app.request(`/${index}`)).status, expected, `App: ${name}`);
      assert.equal((await fetch(`http://127.0.0.1:${port}/${index}`)).status, expected, `Node adapter: ${name}`);
      assert.equal(logged.at(-1), expected, `access log: ${name}`);
      const page = await renderErrorPage(make(), new Request("http://localhost/"));
      assert.equal(page.status, expected, `error page: ${name}`);
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
