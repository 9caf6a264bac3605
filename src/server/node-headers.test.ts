// The lazy request Headers answer get/has from Node's raw list and everything else as a real Headers would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { createHeaders, realHeaders } from "./node-headers.js";

function incoming(raw: string[]): IncomingMessage {
  const message = new IncomingMessage(new Socket());
  message.rawHeaders = raw;
  return message;
}

const RAW = [
  "Host",
  "example.com",
  "Accept",
  "text/html",
  "X-Tag",
  "a",
  "x-tag",
  "b",
  "Content-Length",
  "12",
  ":path",
  "/ignored",
];

function reference(): Headers {
  const headers = new Headers();
  for (let i = 0; i < RAW.length; i += 2) if (!RAW[i].startsWith(":")) headers.append(RAW[i], RAW[i + 1]);
  return headers;
}

test("get and has read the raw list as Headers would, case-insensitively, joining repeats", () => {
  const headers = createHeaders(incoming(RAW));
  const expected = reference();
  assert.ok(headers instanceof Headers);
  for (const name of ["host", "HOST", "accept", "x-tag", "X-Tag", "content-length", "missing"]) {
    assert.equal(headers.get(name), expected.get(name), name);
    assert.equal(headers.has(name), expected.has(name), name);
  }
  assert.equal(headers.get("x-tag"), "a, b");
});

test("everything else (iteration, set, an invalid name) behaves as a real Headers", () => {
  const headers = createHeaders(incoming(RAW));
  assert.deepEqual([...headers], [...reference()], "pseudo-headers are not listed");
  assert.throws(() => headers.get("bad name"), TypeError);
  headers.set("x-added", "1");
  assert.equal(headers.get("x-added"), "1", "after a change, reads see it");
  assert.equal(realHeaders(headers).get("x-added"), "1");
  const plain = new Headers({ a: "1" });
  assert.equal(realHeaders(plain), plain);
});

test("two Cookie lines join with '; ' as Headers joins them, so both lines' cookies are read", () => {
  const raw = ["Host", "example.com", "Cookie", "theme=dark", "cookie", "frank.session=SECRET; lang=en"];
  const headers = createHeaders(incoming(raw));
  assert.equal(headers.get("cookie"), "theme=dark; frank.session=SECRET; lang=en");
  const real = new Headers();
  for (let i = 0; i < raw.length; i += 2) real.append(raw[i], raw[i + 1]);
  assert.equal(headers.get("cookie"), real.get("cookie"));
  assert.equal(realHeaders(headers).get("cookie"), real.get("cookie"));
});
