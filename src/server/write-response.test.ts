// A canary for the shortcut in write-response.ts that relies on Node's internals: a Response made
// from a string or bytes is written from the value it was made from, in the same turn, without
// reading its body stream. If a Node upgrade moves that value (undici's "state" symbol), every
// such Response silently takes the slow stream path; this test fails instead, and says so.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { writeResponse } from "./write-response.js";

const SHORTCUT_GONE =
  `Node ${process.version} no longer keeps the source of a Response's body where write-response.ts ` +
  "looks for it (undici's 'state' symbol): every new Response(string | bytes) now takes the stream path. " +
  "Find where this Node keeps it, or remove the shortcut (bodySource) and its canary.";

// Node 20 and 22 ship undici 6, whose Response keeps its state behind a symbol. Undici 7 (Node 24
// and later) made it a private field: there the shortcut cannot work, and every such Response is
// read through its stream. Buffered responses (a frank App's own) are not affected on any Node.
const undiciMajor = Number(process.versions.undici?.split(".")[0] ?? 0);
const noShortcut =
  undiciMajor >= 7 &&
  `undici ${process.versions.undici} (Node ${process.version}) keeps a Response's state private: ` +
    "new Response(string | bytes) takes the stream path on this Node";

interface Written {
  endedInSameTurn: boolean;
  bodyUsed: boolean;
  returned: unknown;
}

/** Serves one request with `make()`, written by writeResponse, and reports what happened in that turn. */
async function serveOnce(make: () => Response): Promise<{ written: Written; body: string; length: string | null }> {
  let written!: Written;
  const server = createServer((_req, res: ServerResponse) => {
    const response = make();
    const returned = writeResponse(res, response, "GET");
    written = { endedInSameTurn: res.writableEnded, bodyUsed: response.bodyUsed, returned };
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`);
    return { written, body: await res.text(), length: res.headers.get("content-length") };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

test("Node keeps a Response's body source where write-response.ts reads it", { skip: noShortcut }, () => {
  const symbols = Object.getOwnPropertySymbols(new Response("x")).map((symbol) => symbol.description);
  assert.ok(symbols.includes("state"), `${SHORTCUT_GONE}\nsymbols now: ${symbols.join(", ")}`);
});

for (const [kind, make, text] of [
  ["a string", () => new Response("made from a string"), "made from a string"],
  ["bytes", () => new Response(new TextEncoder().encode("made from bytes")), "made from bytes"],
] as const) {
  const how = noShortcut
    ? "is answered in full through its stream"
    : "is written whole in the same turn, its stream never read";
  test(`a Response made from ${kind} ${how}`, async () => {
    const { written, body, length } = await serveOnce(make);
    assert.equal(body, text);
    assert.equal(length, String(text.length), "sent with a Content-Length");
    if (!noShortcut) assert.ok(written.endedInSameTurn && !written.bodyUsed, SHORTCUT_GONE);
    else assert.equal(written.endedInSameTurn, false, "the shortcut works again on this Node: expect it in the canary");
  });
}

test("a Response made from a stream is written over later turns (what the canary tells apart)", async () => {
  const { written, body } = await serveOnce(
    () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("made from a stream"));
            controller.close();
          },
        }),
      ),
  );
  assert.equal(body, "made from a stream");
  assert.equal(written.endedInSameTurn, false);
  assert.ok(written.returned instanceof Promise);
});
