import { test } from "node:test";
import assert from "node:assert/strict";
import { Router } from "./router.js";
import { MalformedPathError, PatternError } from "./pattern.js";

function allMatches<T>(router: Router<T>, method: string, path: string) {
  return [...router.match(method, path)].map(({ value, params }) => [value, params]);
}

test("the first route in definition order wins, whatever kind of pattern it is", () => {
  const router = new Router<string>();
  router.add("GET", "/users/:id", "dynamic");
  router.add("GET", "/users/new", "literal");
  router.add("GET", /\/users\/(\w+)/, "regexp");
  router.add("GET", "/*", "splat");
  assert.deepEqual(router.match("GET", "/users/new").next().value, { value: "dynamic", params: { id: "new" } });

  const literalFirst = new Router<string>();
  literalFirst.add("GET", "/users/new", "literal");
  literalFirst.add("GET", "/users/:id", "dynamic");
  assert.deepEqual(literalFirst.match("GET", "/users/new").next().value, { value: "literal", params: {} });
  assert.deepEqual(literalFirst.match("GET", "/users/7").next().value, { value: "dynamic", params: { id: "7" } });
});

test("match yields every further match lazily, in order, so pass can move on", () => {
  const router = new Router<number>();
  router.add("GET", "/*", 1);
  router.add("GET", "/a/:b", 2);
  router.add("POST", "/a/b", 3);
  router.add("GET", "/a/b", 4);
  router.add("GET", /\/a\/(.)/, 5);
  router.add("GET", "/x", 6);
  assert.deepEqual(allMatches(router, "GET", "/a/b"), [
    [1, { splat: ["a/b"] }],
    [2, { b: "b" }],
    [4, {}],
    [5, { captures: ["b"] }],
  ]);
  const matches = router.match("GET", "/a/b");
  assert.equal(matches.next().value?.value, 1);
  assert.equal(matches.next().value?.value, 2);
  assert.equal(matches[Symbol.iterator](), matches);
});

test("routes are kept per method; an unknown method or path matches nothing", () => {
  const router = new Router<string>();
  router.add("get", "/", "root");
  router.add("LINK", "/x", "link");
  assert.equal(router.match("GET", "/").next().value?.value, "root");
  assert.equal(router.match("get", "/").next().value?.value, "root");
  assert.equal(router.match("HEAD", "/").next().done, true);
  assert.equal(router.match("LINK", "/x").next().value?.value, "link");
  assert.equal(router.match("GET", "/nope").next().done, true);
  assert.deepEqual(allMatches(new Router(), "GET", "/"), []);
});

test("indexing by first segment never hides a route that could match", () => {
  const router = new Router<string>();
  router.add("GET", "/:section/list", "any-section");
  router.add("GET", "/blog/:post", "blog");
  router.add("GET", "/blog/list", "blog-list");
  router.add("GET", "/(blog|news)/:id", "group");
  router.add("GET", "/blog/*", "blog-splat");
  router.add("GET", "/blog", "blog-root");
  assert.deepEqual(
    allMatches(router, "GET", "/blog/list").map(([value]) => value),
    ["any-section", "blog", "blog-list", "group", "blog-splat"],
  );
  assert.deepEqual(
    allMatches(router, "GET", "/news/list").map(([value]) => value),
    ["any-section", "group"],
  );
  assert.deepEqual(
    allMatches(router, "GET", "/blog").map(([value]) => value),
    ["blog-root"],
  );
  assert.deepEqual(
    allMatches(router, "GET", "/blog/").map(([value]) => value),
    ["blog-splat"],
  );
});

test("routes under a shared prefix are indexed by every fixed segment, and still found in order", () => {
  const router = new Router<string>();
  router.add("GET", "/api/:version/users/:id", "any-version");
  router.add("GET", "/api/v1/users/:id", "v1-user");
  router.add("GET", "/api/v1/*", "v1-splat");
  router.add("GET", "/api/v1/users/me", "me");
  router.add("GET", "/api/v1/users/:id(.:format)?", "v1-user-format");
  router.add("GET", /\/api\/v1\/users\/(\w+)/, "regexp");
  const order = (path: string) => allMatches(router, "GET", path).map(([value]) => value);
  assert.deepEqual(order("/api/v1/users/me"), ["any-version", "v1-user", "v1-splat", "me", "v1-user-format", "regexp"]);
  assert.deepEqual(order("/api/v2/users/7"), ["any-version"]);
  assert.deepEqual(order("/api/v1/users/7.json"), ["any-version", "v1-user", "v1-splat", "v1-user-format"]);
  assert.deepEqual(order("/api/v1"), []);
  assert.deepEqual(router.match("GET", "/api/v1/users/7.json").next().value?.params, { version: "v1", id: "7.json" });
});

test("literal routes match the percent-encoded form of their path", () => {
  const router = new Router<string>();
  router.add("GET", "/café", "cafe");
  router.add("GET", "/a b", "space");
  assert.equal(router.match("GET", "/caf%C3%A9").next().value?.value, "cafe");
  assert.equal(router.match("GET", "/%63afé").next().value?.value, "cafe");
  assert.equal(router.match("GET", "/a+b").next().value?.value, "space");
  assert.equal(router.match("GET", "/a%20b").next().value?.value, "space");
});

test("strictPaths: exact by default, trailing slash optional on both sides when off", () => {
  const strict = new Router<string>();
  strict.add("GET", "/foo", "foo");
  strict.add("GET", "/bar/", "bar");
  assert.equal(strict.match("GET", "/foo/").next().done, true);
  assert.equal(strict.match("GET", "/bar").next().done, true);

  const loose = new Router<string>({ strictPaths: false });
  loose.add("GET", "/foo", "foo");
  loose.add("GET", "/bar/", "bar");
  loose.add("GET", "/users/:id", "user");
  loose.add("GET", "/", "root");
  assert.equal(loose.match("GET", "/foo/").next().value?.value, "foo");
  assert.equal(loose.match("GET", "/foo").next().value?.value, "foo");
  assert.equal(loose.match("GET", "/bar").next().value?.value, "bar");
  assert.equal(loose.match("GET", "/bar/").next().value?.value, "bar");
  assert.deepEqual(loose.match("GET", "/users/5/").next().value?.params, { id: "5" });
  assert.equal(loose.match("GET", "/").next().value?.value, "root");
});

test("a malformed pattern throws PatternError from add; a malformed escape throws MalformedPathError from next()", () => {
  const router = new Router<string>();
  assert.throws(() => router.add("GET", "/(oops", "x"), PatternError);
  assert.deepEqual(router.routes(), []);
  router.add("GET", "/files/:name", "file");
  const matches = router.match("GET", "/files/%E0%A4");
  assert.throws(
    () => matches.next(),
    (error: unknown) => error instanceof MalformedPathError && error.status === 400,
  );
  assert.equal(router.match("GET", "/other/%E0%A4").next().done, true);
});

test("routes() lists every definition in order, and adding after matching is seen", () => {
  const router = new Router<number>();
  router.add("GET", "/a", 1);
  assert.equal(router.match("GET", "/b").next().done, true);
  router.add("post", /\/b/, 2);
  router.add("GET", "/b", 3);
  assert.equal(router.match("GET", "/b").next().value?.value, 3);
  assert.deepEqual(router.routes(), [
    { method: "GET", pattern: "/a", value: 1 },
    { method: "POST", pattern: /\/b/, value: 2 },
    { method: "GET", pattern: "/b", value: 3 },
  ]);
});

test("each match gets its own params object", () => {
  const router = new Router<string>();
  router.add("GET", "/static", "s");
  const first = router.match("GET", "/static").next().value!.params;
  first.changed = "yes";
  assert.deepEqual(router.match("GET", "/static").next().value!.params, {});
});
