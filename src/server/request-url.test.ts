// The plain-URL fast path must give exactly what `new URL()` gives, or step aside.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isPlainAuthority, isPlainTarget } from "./request-url.js";

/** What the adapter builds when both checks pass, next to what the URL parser makes of it. */
function agreesWithParser(host: string, target: string, https: boolean): boolean {
  const joined = (https ? "https://" : "http://") + host + target;
  let parsed: string;
  try {
    parsed = new URL(joined).href;
  } catch {
    return false; // the fast path accepted something the parser refuses
  }
  return parsed === joined;
}

test("plain hosts and targets are taken as they are", () => {
  for (const host of [
    "localhost",
    "localhost:3000",
    "127.0.0.1:8080",
    "example.com",
    "api.example.com:8443",
    "my-app",
    "a1.b2",
  ]) {
    assert.ok(isPlainAuthority(host, false), host);
  }
  for (const target of [
    "/",
    "/hello",
    "/user/4242",
    "/static/small.txt",
    "/a/b?x=1&y=%20z",
    "/search?q=a+b",
    "/~me/@x;y=1",
    "/a/b.c/d",
  ]) {
    assert.ok(isPlainTarget(target), target);
  }
});

test("anything the parser would rewrite or refuse takes the slow path", () => {
  const hosts = [
    "",
    "Localhost",
    "example.com.",
    "a..b",
    "xn--nxasmq6b.com",
    "bücher.de",
    "127.1",
    "0x7f.0.0.1",
    "127.0.0.01",
    "256.0.0.1",
    "1.2.3.4.5",
    "foo.0x1",
    "foo.123",
    "localhost:80",
    "localhost:",
    "localhost:080",
    "localhost:65536",
    "localhost:3000x",
    "[::1]:3000",
    "user@host",
    "a b",
    "host/path",
    "a_b",
  ];
  for (const host of hosts) assert.equal(isPlainAuthority(host, false), false, JSON.stringify(host));
  assert.equal(isPlainAuthority("localhost:443", true), false);
  assert.equal(isPlainAuthority("localhost:443", false), true);

  const targets = [
    "/a/../b",
    "/a/./b",
    "/.",
    "/a/%2e%2E/b",
    "/a/%2E/b",
    "/a b",
    "/a\\b",
    "/a#frag",
    '/a"b',
    "/a<b>",
    "/a`b",
    "/a{b}",
    "/a|b",
    "/a^b",
    "/caf\u00e9",
    "/a\tb",
    "/q?x='1'",
    "/\u0000",
  ];
  for (const target of targets) assert.equal(isPlainTarget(target), false, JSON.stringify(target));
});

test("property: whenever both checks pass, the joined URL is exactly the parser's", () => {
  const label = fc.stringMatching(/^[a-z0-9-]{1,6}$|^xn--[a-z0-9]{1,4}$|^[0-9]{1,3}$|^0x[0-9a-f]{0,3}$|^[A-Z]{1,2}$/);
  const hostname = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join("."));
  const port = fc.oneof(fc.constant(""), fc.stringMatching(/^:[0-9]{0,6}$/));
  const host = fc.tuple(hostname, port, fc.constantFrom("", ".", "..")).map(([name, p, dots]) => name + dots + p);
  const targetChar = fc.constantFrom(
    ..."/./%2e%2E?=&#ab~!$'()*+,;:@[]^`{|}<>\\\" \t\u00e9%41%zz".split(""),
    "..",
    "%2e",
    "/..",
    "?",
  );
  const target = fc.array(targetChar, { maxLength: 16 }).map((chars) => "/" + chars.join(""));
  fc.assert(
    fc.property(host, target, fc.boolean(), (h, t, https) => {
      if (!isPlainAuthority(h, https) || !isPlainTarget(t)) return true;
      return agreesWithParser(h, t, https);
    }),
    { numRuns: 20_000 },
  );
});

test("property: plain input is common enough to matter (the generator reaches the fast path)", () => {
  let plain = 0;
  fc.assert(
    fc.property(
      fc.stringMatching(/^[a-z]{1,8}(\.[a-z]{1,8})?(:[1-9][0-9]{0,3})?$/),
      fc.stringMatching(/^\/[a-z0-9/]{0,12}(\?[a-z=&]{0,8})?$/),
      (h, t) => {
        if (isPlainAuthority(h, false) && isPlainTarget(t)) {
          plain++;
          return agreesWithParser(h, t, false);
        }
        return true;
      },
    ),
    { numRuns: 2_000 },
  );
  assert.ok(plain > 1_500, `only ${plain} of 2000 generated plain requests took the fast path`);
});
