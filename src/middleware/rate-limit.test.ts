import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CLIENT_ADDRESS } from "../http/client-address.js";
import { deriveRequest } from "../http/request-state.js";
import { clientKey, forwardedClient, MemoryRateLimitStore, type RateLimitStore, rateLimit } from "./rate-limit.js";

/** A request as frank's Node adapter makes it: with the socket's address. */
function from(address: string | undefined, headers: Record<string, string> = {}): Request {
  const req = new Request("http://localhost/api", { headers });
  if (address !== undefined) Object.defineProperty(req, CLIENT_ADDRESS, { value: address });
  return req;
}

const ok = () => new Response("ok");

describe("rateLimit", () => {
  it("lets `limit` requests through per window, then answers 429 with Retry-After", async () => {
    const handler = rateLimit({ limit: 3, windowMs: 60_000 })(ok);
    for (let n = 1; n <= 3; n++) {
      const res = await handler(from("198.18.0.5"));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("ratelimit-limit"), "3");
      assert.equal(res.headers.get("ratelimit-remaining"), String(3 - n));
      assert.equal(res.headers.get("ratelimit-reset"), "60");
      assert.equal(res.headers.get("ratelimit-policy"), "3;w=60");
    }
    const refused = await handler(from("198.18.0.5"));
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), "60");
    assert.equal(refused.headers.get("ratelimit-remaining"), "0");
    assert.equal(await refused.text(), "Too Many Requests");
    assert.equal((await handler(from("198.18.0.6"))).status, 200, "another client has its own count");
  });

  it("starts a new window once the old one ends", async () => {
    let now = 1_000_000;
    const store = new MemoryRateLimitStore({ now: () => now });
    const handler = rateLimit({ limit: 1, windowMs: 10_000, store })(ok);
    assert.equal((await handler(from("198.18.0.5"))).status, 200);
    assert.equal((await handler(from("198.18.0.5"))).status, 429);
    now += 10_001;
    assert.equal((await handler(from("198.18.0.5"))).status, 200);
  });

  it("counts an IPv6 client by its /64, and an IPv4-mapped address as IPv4", () => {
    const key = clientKey(0);
    assert.equal(key(from("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
    assert.equal(key(from("2001:db8:1:2:bbbb:cccc:dddd:eeee")), "2001:db8:1:2::/64");
    assert.equal(key(from("2001:db8::1")), "2001:db8:0:0::/64");
    assert.equal(key(from("2001:0db8:0001:0002::1%eth0")), "2001:db8:1:2::/64");
    assert.equal(key(from("::ffff:198.18.0.7")), "198.18.0.7");
    assert.equal(key(from("198.18.0.7")), "198.18.0.7");
  });

  it("reads X-Forwarded-For only as far as trustedProxies says", () => {
    const spoofed = { "x-forwarded-for": "203.0.113.66, 198.18.0.9" };
    assert.equal(clientKey(0)(from("198.18.0.1", spoofed)), "198.18.0.1", "not trusted by default");
    assert.equal(clientKey(1)(from("198.18.0.1", spoofed)), "198.18.0.9", "the entry the Ingress appended");
    assert.equal(clientKey(2)(from("198.18.0.1", spoofed)), "203.0.113.66");
    assert.equal(clientKey(5)(from("198.18.0.1", spoofed)), "203.0.113.66", "fewer entries: the leftmost");
    assert.equal(clientKey(1)(from("198.18.0.1")), "198.18.0.1", "no header: the socket");
    assert.equal(forwardedClient("198.18.0.2, 198.18.0.3 ", 1), "198.18.0.3");
    assert.equal(forwardedClient("198.18.0.3, ", 1), undefined, "an empty last entry was not written by a proxy");
  });

  it("does not count requests without a key, or those skip() names", async () => {
    let calls = 0;
    const handler = rateLimit({ limit: 1, windowMs: 1000, skip: (req) => req.url.endsWith("/health") })(() => {
      calls++;
      return ok();
    });
    await handler(from(undefined));
    await handler(from(undefined));
    assert.equal(calls, 2, "no address (app.request()): not limited");
    const health = new Request("http://localhost/health");
    Object.defineProperty(health, CLIENT_ADDRESS, { value: "198.18.0.5" });
    await handler(health);
    await handler(health);
    assert.equal(calls, 4);
  });

  it("follows a derived request back to its address", () => {
    const original = from("198.18.0.8");
    const derived = deriveRequest(original, new Request(original.url, { method: "DELETE" }));
    assert.equal(clientKey(0)(derived), "198.18.0.8");
  });

  it("takes an asynchronous store (one shared by every replica)", async () => {
    const counts = new Map<string, number>();
    const shared: RateLimitStore = {
      async hit(key, windowMs) {
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return { count: counts.get(key)!, resetAt: Date.now() + windowMs };
      },
    };
    const replicaA = rateLimit({ limit: 2, windowMs: 5000, store: shared })(ok);
    const replicaB = rateLimit({ limit: 2, windowMs: 5000, store: shared })(ok);
    assert.equal((await replicaA(from("198.18.0.5"))).status, 200);
    assert.equal((await replicaB(from("198.18.0.5"))).status, 200);
    assert.equal((await replicaA(from("198.18.0.5"))).status, 429);
  });

  it("refuses options that cannot work when it is made", () => {
    assert.throws(() => rateLimit({ limit: 0, windowMs: 1000 }), /limit/);
    assert.throws(() => rateLimit({ limit: 5, windowMs: 10 }), /windowMs/);
    assert.throws(() => rateLimit({ limit: 5, windowMs: 1000, trustedProxies: -1 }), /trustedProxies/);
  });

  it("parses a huge adversarial X-Forwarded-For in linear time", () => {
    const key = clientKey(3);
    const started = performance.now();
    for (const header of [",".repeat(4 << 20), " ".repeat(4 << 20), "1.1.1.1,".repeat(1 << 19)]) {
      key(from("198.18.0.1", { "x-forwarded-for": header }));
    }
    // Linear work on 12 MiB takes milliseconds; a quadratic scan would take hours.
    assert.ok(performance.now() - started < 5_000);
  });
});

describe("MemoryRateLimitStore", () => {
  it("holds at most maxKeys keys, dropping expired windows first, then the oldest", () => {
    let now = 0;
    const store = new MemoryRateLimitStore({ maxKeys: 3, now: () => now });
    store.hit("a", 1000);
    now = 500;
    store.hit("b", 1000);
    store.hit("c", 1000);
    assert.equal(store.size, 3);
    now = 1200; // a has expired
    store.hit("d", 1000);
    assert.equal(store.size, 3);
    assert.equal(store.hit("b", 1000).count, 2, "b kept its count");
    store.hit("e", 1000); // full, none expired: the oldest (b) goes
    assert.equal(store.size, 3);
    assert.equal(store.hit("b", 1000).count, 1, "b starts afresh");
  });

  it("stays bounded under a flood of distinct keys", () => {
    const store = new MemoryRateLimitStore({ maxKeys: 1000 });
    for (let n = 0; n < 100_000; n++) store.hit(`198.18.${n >> 8}.${n & 255}`, 60_000);
    assert.equal(store.size, 1000);
  });
});
