import { test } from "node:test";
import assert from "node:assert/strict";
import { formatComment, formatEvent } from "./sse.js";

test("an event: its fields, multi-line data as one data line each, JSON for anything but a string", () => {
  assert.equal(formatEvent({ data: "hello" }), "data: hello\n\n");
  assert.equal(
    formatEvent({ event: "update", id: 7, retry: 2500, data: "line 1\nline 2\r\nline 3\rline 4" }),
    "event: update\nid: 7\nretry: 2500\ndata: line 1\ndata: line 2\ndata: line 3\ndata: line 4\n\n",
  );
  assert.equal(formatEvent({ data: { n: 1, s: "a\nb" } }), 'data: {"n":1,"s":"a\\nb"}\n\n');
  assert.equal(formatEvent({ data: "" }), "data: \n\n");
  assert.equal(formatEvent({ data: " leading space" }), "data:  leading space\n\n", "the parser strips one space only");
  assert.equal(formatEvent({ id: "42" }), "id: 42\n\n", "an id alone updates Last-Event-ID without an event");
});

test("what the format cannot carry is a TypeError, never a broken stream", () => {
  assert.throws(() => formatEvent({ event: "a\nb", data: "x" }), /event cannot contain a line break/);
  assert.throws(() => formatEvent({ id: "1\r2", data: "x" }), /id cannot contain a line break/);
  assert.throws(() => formatEvent({ id: "1\u00002", data: "x" }), /id cannot contain NUL/);
  assert.throws(() => formatEvent({ retry: 1.5 }), /retry must be whole milliseconds/);
  assert.throws(() => formatEvent({ retry: -1 }), /retry must be whole milliseconds/);
});

test("comments: one line each, ignored by the browser", () => {
  assert.equal(formatComment(), ":\n");
  assert.equal(formatComment("keep-alive"), ": keep-alive\n");
  assert.equal(formatComment("a\nb"), ": a\n: b\n");
});
