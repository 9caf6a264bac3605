// What only a real socket can show of Sinatra's request data: the client's address for c.ip
// (with and without a trusted proxy in front) and the HTTP version that picks a POST redirect's
// status. serve() on loopback, clients speaking raw HTTP.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import { App } from "../src/app/app.js";
import { serve } from "../src/server/serve.js";

/** Sends raw bytes and resolves with everything the server wrote before it closed. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(request));
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

test("c.ip and a POST redirect's status, over real sockets", async (t) => {
  const direct = new App().set({ environment: "test", publicFolder: false });
  direct.get("/ip", (c) => c.ip ?? "unknown");
  direct.post("/form", (c) => c.redirect("/done"));
  const proxied = new App().set({ environment: "test", publicFolder: false, trustProxy: true });
  proxied.get("/ip", (c) => c.ip ?? "unknown");

  const servers = await Promise.all(
    [direct, proxied].map((app) => serve(app, { port: 0, host: "127.0.0.1", quiet: true, handleSignals: false })),
  );
  t.after(() => Promise.all(servers.map((server) => server.close())));
  const [plain, behindProxy] = servers.map((server) => new URL(server.localUrl));
  const forwarded = { headers: { "x-forwarded-for": "203.0.113.9" } };

  assert.equal(await (await fetch(new URL("/ip", plain), forwarded)).text(), "127.0.0.1", "untrusted: the socket");
  // The peer (127.0.0.1) is a loopback proxy, so the address it forwards is the client's.
  assert.equal(await (await fetch(new URL("/ip", behindProxy), forwarded)).text(), "203.0.113.9");

  const port = Number(plain.port);
  const http10 = await rawRequest(port, "POST /form HTTP/1.0\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
  assert.match(http10, /^HTTP\/1\.[01] 302 /, "HTTP/1.0 knows no 303");
  const http11 = await rawRequest(
    port,
    "POST /form HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
  );
  assert.match(http11, /^HTTP\/1\.1 303 /);
});
