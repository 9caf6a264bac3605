import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluatePreconditions, formatETag, ifRangeAllows, parseETagList } from "./conditional.js";

const url = "http://frank.test/x";
const req = (method: string, headers: Record<string, string>) => new Request(url, { method, headers });
const modified = new Date("2024-05-01T10:00:00.750Z");
const before = "Wed, 01 May 2024 09:59:59 GMT";
const same = "Wed, 01 May 2024 10:00:00 GMT";
const strong = '"v1"';
const weak = 'W/"v1"';

test("formatETag quotes, marks weak tags, keeps quoted tags and refuses quotes inside", () => {
  assert.equal(formatETag("abc"), '"abc"');
  assert.equal(formatETag("abc", true), 'W/"abc"');
  assert.equal(formatETag('W/"x"'), 'W/"x"');
  assert.throws(() => formatETag('a"b'), TypeError);
});

test("parseETagList splits lists and stops at garbage", () => {
  assert.deepEqual(parseETagList('"a", W/"b" ,"c,d"'), ['"a"', 'W/"b"', '"c,d"']);
  assert.deepEqual(parseETagList("*"), ["*"]);
});

test("no precondition headers: ok", () => {
  assert.equal(evaluatePreconditions(req("GET", {}), { etag: strong, lastModified: modified }), "ok");
});

test("If-None-Match uses weak comparison and answers 304 for GET/HEAD, 412 otherwise", () => {
  assert.equal(evaluatePreconditions(req("GET", { "if-none-match": weak }), { etag: strong }), "not-modified");
  assert.equal(
    evaluatePreconditions(req("HEAD", { "if-none-match": `"x", ${strong}` }), { etag: weak }),
    "not-modified",
  );
  assert.equal(evaluatePreconditions(req("GET", { "if-none-match": '"other"' }), { etag: strong }), "ok");
  assert.equal(evaluatePreconditions(req("PUT", { "if-none-match": "*" }), { etag: strong }), "precondition-failed");
  assert.equal(
    evaluatePreconditions(req("POST", { "if-none-match": strong }), { etag: strong }),
    "precondition-failed",
  );
});

test("If-Match uses strong comparison", () => {
  assert.equal(evaluatePreconditions(req("PUT", { "if-match": strong }), { etag: strong }), "ok");
  assert.equal(evaluatePreconditions(req("PUT", { "if-match": weak }), { etag: weak }), "precondition-failed");
  assert.equal(evaluatePreconditions(req("PUT", { "if-match": '"v2"' }), { etag: strong }), "precondition-failed");
  assert.equal(evaluatePreconditions(req("PUT", { "if-match": "*" }), { etag: strong }), "ok");
  assert.equal(evaluatePreconditions(req("GET", { "if-match": '"v2"' }), {}), "precondition-failed");
});

test("If-Unmodified-Since fails when modified later, and is skipped when If-Match is present", () => {
  assert.equal(
    evaluatePreconditions(req("PUT", { "if-unmodified-since": before }), { lastModified: modified }),
    "precondition-failed",
  );
  assert.equal(evaluatePreconditions(req("PUT", { "if-unmodified-since": same }), { lastModified: modified }), "ok");
  assert.equal(
    evaluatePreconditions(req("PUT", { "if-match": strong, "if-unmodified-since": before }), {
      etag: strong,
      lastModified: modified,
    }),
    "ok",
  );
  assert.equal(
    evaluatePreconditions(req("PUT", { "if-unmodified-since": "not a date" }), { lastModified: modified }),
    "ok",
  );
});

test("If-Modified-Since compares whole seconds, only for GET/HEAD, only without If-None-Match", () => {
  assert.equal(
    evaluatePreconditions(req("GET", { "if-modified-since": same }), { lastModified: modified }),
    "not-modified",
  );
  assert.equal(evaluatePreconditions(req("GET", { "if-modified-since": before }), { lastModified: modified }), "ok");
  assert.equal(evaluatePreconditions(req("POST", { "if-modified-since": same }), { lastModified: modified }), "ok");
  assert.equal(
    evaluatePreconditions(req("GET", { "if-none-match": '"other"', "if-modified-since": same }), {
      etag: strong,
      lastModified: modified,
    }),
    "ok",
  );
  assert.equal(evaluatePreconditions(req("GET", { "if-modified-since": "garbage" }), { lastModified: modified }), "ok");
});

test("If-Match failing wins over a matching If-None-Match", () => {
  assert.equal(
    evaluatePreconditions(req("GET", { "if-match": '"nope"', "if-none-match": strong }), { etag: strong }),
    "precondition-failed",
  );
});

test("ifRangeAllows: strong tag equal, weak tag never, date exact", () => {
  assert.equal(ifRangeAllows(req("GET", {}), { etag: weak }), true);
  assert.equal(ifRangeAllows(req("GET", { "if-range": strong }), { etag: strong }), true);
  assert.equal(ifRangeAllows(req("GET", { "if-range": weak }), { etag: weak }), false);
  assert.equal(ifRangeAllows(req("GET", { "if-range": '"v2"' }), { etag: strong }), false);
  assert.equal(ifRangeAllows(req("GET", { "if-range": same }), { lastModified: modified }), true);
  assert.equal(ifRangeAllows(req("GET", { "if-range": before }), { lastModified: modified }), false);
  assert.equal(ifRangeAllows(req("GET", { "if-range": "junk" }), { lastModified: modified }), false);
});
