// Pattern semantics, written from Mustermann's documentation of the "sinatra" pattern type
// and Sinatra's README: one row per (pattern, path) with the params expected, or null for no match.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compilePattern, MalformedPathError, PatternError, type RouteParams } from "./pattern.js";

type Row = readonly [pattern: string | RegExp, path: string, expected: RouteParams | null];

const rows: Row[] = [
  // literal paths
  ["/", "/", {}],
  ["/foo", "/foo", {}],
  ["/foo", "/bar", null],
  ["/foo", "/foo/", null],
  ["/foo", "/FOO", null],
  ["/foo", "/fo%6F", {}],
  ["/foo", "/fo%6f", {}],
  ["/über", "/%C3%BCber", {}],
  ["/a/b", "/a%2Fb", null],
  // :name captures anything but "/", at least one character
  ["/:name", "/alice", { name: "alice" }],
  ["/:name", "/alice/bob", null],
  ["/:name", "/", null],
  ["/:name", "/foo.bar", { name: "foo.bar" }],
  ["/:foo/:bar", "/hello/world", { foo: "hello", bar: "world" }],
  ["/hello/:name", "/hello/", null],
  ["/user_:id", "/user_5", { id: "5" }],
  ["/:_private", "/x", { _private: "x" }],
  ["/{name}", "/alice", { name: "alice" }],
  ["/{name}", "/a/b", null],
  ["/{a|b}", "/x", { a: "x" }],
  // captures are percent-decoded after matching; an encoded slash never splits a segment
  ["/:name", "/a%2Fb", { name: "a/b" }],
  ["/:name", "/a%2fb", { name: "a/b" }],
  ["/:one/:two", "/a%2Fb/c", { one: "a/b", two: "c" }],
  ["/:name", "/J%C3%BCrgen", { name: "Jürgen" }],
  ["/:name", "/a%20b", { name: "a b" }],
  ["/:name", "/a+b", { name: "a+b" }],
  ["/:name", "/a%25b", { name: "a%b" }],
  ["/:name", "/a%252Fb", { name: "a%2Fb" }],
  ["/*", "/a%2Fb", { splat: ["a/b"] }],
  // semi-greedy captures: the rest of the pattern decides where a capture ends
  ["/:foo.:bar", "/a.b.c", { foo: "a.b", bar: "c" }],
  ["/:id.json", "/12.json", { id: "12" }],
  ["/:id.json", "/12.xml", null],
  ["/:foo(.:bar)?", "/a.b.c", { foo: "a.b", bar: "c" }],
  ["/:foo(.:bar)?", "/a", { foo: "a" }],
  ["/:foo(.:bar)?", "/a.b.", { foo: "a.b." }],
  ["/:file(.:ext)?", "/pony.jpg", { file: "pony", ext: "jpg" }],
  ["/posts/:id(.:format)?", "/posts/1.json", { id: "1", format: "json" }],
  ["/posts/:id(.:format)?", "/posts/1", { id: "1" }],
  ["/:a(foo:b)", "/xfooyfooz", { a: "xfooy", b: "z" }],
  ["/:foo(bar)?", "/xbar", { foo: "x" }],
  ["/:foo(/:bar)?", "/hello", { foo: "hello" }],
  ["/:foo(/:bar)?", "/hello/world", { foo: "hello", bar: "world" }],
  // splats: non-greedy, always an array, in order
  ["/*", "/a/b/c", { splat: ["a/b/c"] }],
  ["/*", "/", { splat: [""] }],
  ["/:name/*", "/alice/some/path", { name: "alice", splat: ["some/path"] }],
  ["/:prefix/*.*", "/a/b.c", { prefix: "a", splat: ["b", "c"] }],
  ["/*.*", "/path/to/file.xml", { splat: ["path/to/file", "xml"] }],
  ["/download/*.*", "/download/path/to/file.xml", { splat: ["path/to/file", "xml"] }],
  ["/*/foo/*/*", "/bar/foo/bling/baz/boom", { splat: ["bar", "bling", "baz/boom"] }],
  ["/*name", "/a/b", { name: "a/b" }],
  ["/{+path}", "/a/b", { path: "a/b" }],
  ["/{+splat}", "/a/b", { splat: ["a/b"] }],
  // ? makes the preceding character or group optional
  ["/foo/?", "/foo", {}],
  ["/foo/?", "/foo/", {}],
  ["/colou?r", "/color", {}],
  ["/colou?r", "/colour", {}],
  ["/:name?", "/", {}],
  ["/:name?", "/x", { name: "x" }],
  ["/foo(/bar)?", "/foo", {}],
  ["/foo(/bar)?", "/foo/bar", {}],
  ["/foo(/bar)?", "/foo/baz", null],
  // groups and alternatives
  ["/(foo|bar)", "/foo", {}],
  ["/(foo|bar)", "/bar", {}],
  ["/(foo|bar)", "/baz", null],
  ["/foo|/bar", "/bar", {}],
  ["/:a|/x/:b", "/x/y", { b: "y" }],
  // escaped specials are literal, and match their encoded form too
  ["/\\:name", "/:name", {}],
  ["/\\:name", "/alice", null],
  ["/\\*", "/*", {}],
  ["/\\*", "/anything", null],
  ["/\\(x\\)", "/(x)", {}],
  ["/a\\?", "/a%3F", {}],
  ["/a\\/b", "/a%2Fb", {}],
  ["/a\\/b", "/a/b", {}],
  // "." and "+" are plain characters, not regex syntax; a space also matches "+"
  ["/a.b", "/a.b", {}],
  ["/a.b", "/axb", null],
  ["/a.b", "/a%2Eb", {}],
  ["/a+b", "/a+b", {}],
  ["/a+b", "/aab", null],
  ["/a+b", "/a%2Bb", {}],
  ["/a b", "/a%20b", {}],
  ["/a b", "/a+b", {}],
  ["/100%", "/100%25", {}],
  // the same name twice gives an array
  ["/:a/:a", "/x/y", { a: ["x", "y"] }],
  // RegExp routes: whole-path match, numbered captures, named groups
  [/\/(\d+)/, "/12", { captures: ["12"] }],
  [/\/(\d+)/, "/12/x", null],
  [/\/hello\/(?<name>[^/]+)/, "/hello/J%C3%BCrgen", { captures: ["Jürgen"], name: "Jürgen" }],
  [/\/(a)(b)?/, "/a", { captures: ["a", ""] }],
  [/\/files\/(.*)/, "/files/a%2Fb", { captures: ["a/b"] }],
];

test(`pattern table: ${rows.length} rows`, () => {
  assert.ok(rows.length >= 60);
  for (const [pattern, path, expected] of rows) {
    assert.deepEqual(compilePattern(pattern).match(path), expected, `${String(pattern)} against ${path}`);
  }
});

test("names lists captures in order, once each, splat for *", () => {
  assert.deepEqual(compilePattern("/:a/*/:b/*/:a").names, ["a", "splat", "b"]);
  assert.deepEqual(compilePattern("/{+path}/{name}").names, ["path", "name"]);
  assert.deepEqual(compilePattern(/\/(?<year>\d+)\/(\d+)/).names, ["year"]);
});

test("literal is the exact path only when nothing in the pattern is dynamic", () => {
  assert.equal(compilePattern("/about/team").literal, "/about/team");
  assert.equal(compilePattern("/a\\:b").literal, "/a:b");
  assert.equal(compilePattern("/about/team/", { strictPaths: false }).literal, "/about/team");
  for (const dynamic of ["/:x", "/a/?", "/a b", "/100%", "/(a)", "/a|/b", "/*"]) {
    assert.equal(compilePattern(dynamic).literal, undefined, dynamic);
  }
  assert.equal(compilePattern(/\/about/).literal, undefined);
});

test("strictPaths false: a trailing slash is optional on both sides", () => {
  const loose = { strictPaths: false };
  assert.deepEqual(compilePattern("/foo", loose).match("/foo/"), {});
  assert.deepEqual(compilePattern("/foo/", loose).match("/foo"), {});
  assert.deepEqual(compilePattern("/foo/", loose).match("/foo/"), {});
  assert.deepEqual(compilePattern("/:name", loose).match("/alice/"), { name: "alice" });
  assert.deepEqual(compilePattern("/*", loose).match("/a/b/"), { splat: ["a/b"] });
  assert.deepEqual(compilePattern("/", loose).match("/"), {});
  assert.equal(compilePattern("/foo", loose).match("/foo//"), null);
  assert.deepEqual(compilePattern(/\/(\d+)/, loose).match("/7/"), { captures: ["7"] });
  // strict by default
  assert.equal(compilePattern("/foo/").match("/foo"), null);
});

test("a malformed escape in a captured value throws MalformedPathError (a 400), never a bare URIError", () => {
  for (const path of ["/%zz", "/%C3", "/a%FFb"]) {
    assert.throws(
      () => compilePattern("/:name").match(path),
      (error: unknown) => error instanceof MalformedPathError && error instanceof URIError && error.status === 400,
      path,
    );
  }
  assert.throws(() => compilePattern(/\/(.*)/).match("/%E0%A4%A"), MalformedPathError);
  // a path that does not match, or whose malformed part is not captured, never throws
  assert.equal(compilePattern("/static").match("/%zz"), null);
  assert.deepEqual(compilePattern("/a/:b").match("/a/ok"), { b: "ok" });
  assert.equal(compilePattern("/a/:b").match("/%zz/ok"), null);
  assert.deepEqual(compilePattern("/%zz/:b").match("/%25zz/ok"), { b: "ok" });
});

test("a malformed pattern fails at compile time and says where", () => {
  const cases: [pattern: string, message: RegExp, index: number][] = [
    ["/foo)", /unexpected "\)"/, 4],
    ["/(foo", /unclosed "\(" opened at index 1/, 5],
    ["?foo", /unexpected "\?"/, 0],
    ["/a??", /unexpected "\?"/, 3],
    ["/:", /capture name can't be empty/, 1],
    ["/:Name", /must start with a lower case letter or underscore/, 1],
    ["/:splat", /can't be "splat"/, 1],
    ["/*captures", /can't be "captures"/, 1],
    ["/{name", /expected "}"/, 6],
    ["/{}", /expected a name/, 1],
    ["/\\", /nothing to escape/, 1],
  ];
  for (const [pattern, message, index] of cases) {
    assert.throws(
      () => compilePattern(pattern),
      (error: unknown) =>
        error instanceof PatternError &&
        message.test(error.message) &&
        error.index === index &&
        error.message.includes(JSON.stringify(pattern)),
      pattern,
    );
  }
});
