// A client may send its cookies on two Cookie lines (HTTP/1.1 allows one, browsers send one, but
// proxies and scripts send two). Over a real socket: the session on the second line is read, and
// the development error page still masks it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { App } from "../src/app/app.js";
import { rawExchange } from "./reliability/support/raw-client.js";
import { serveForTest } from "./support/serve-app.js";

const SECRET_VALUE = "SESSION-VALUE-THAT-MUST-NOT-SHOW";

test("two Cookie lines are one cookie list, and the error page masks the session cookie in it", async (t) => {
  const app = new App();
  app.set({ environment: "development", publicFolder: false, dumpErrors: false, hostAuthorization: false });
  app.get("/cookies", (c) => JSON.stringify(c.cookies.toObject()));
  app.get("/boom", () => {
    throw new Error("boom");
  });
  const server = await serveForTest(t, app, { env: "development" });
  const port = server.addresses[0].port;
  const request = (path: string) =>
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: theme=dark\r\nCookie: frank.session=${SECRET_VALUE}; lang=en\r\nAccept: text/plain\r\nConnection: close\r\n\r\n`;

  const cookies = await rawExchange(port, [request("/cookies")]);
  assert.deepEqual(JSON.parse(cookies.responses[0].body.toString()), {
    theme: "dark",
    "frank.session": SECRET_VALUE,
    lang: "en",
  });

  const page = await rawExchange(port, [request("/boom")]);
  assert.equal(page.responses[0].status, 500);
  const text = page.responses[0].body.toString();
  assert.match(text, /boom/);
  assert.match(text, /theme=dark/);
  assert.doesNotMatch(text, new RegExp(SECRET_VALUE), "the session cookie is masked");
});
