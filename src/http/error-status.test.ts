import assert from "node:assert/strict";
import { test } from "node:test";
import { statusOf } from "./error-status.js";
import { HttpError } from "./http-error.js";

test("an error's status: HttpError's own, 400 for a URIError, a 4xx/5xx status or statusCode, else 500", () => {
  assert.equal(statusOf(new HttpError(418)), 418);
  assert.equal(statusOf(new URIError("URI malformed")), 400);
  assert.equal(statusOf(Object.assign(new Error("too many"), { statusCode: 429 })), 429);
  assert.equal(statusOf(Object.assign(new Error("gone"), { status: 410 })), 410);
  assert.equal(statusOf(Object.assign(new Error("moved"), { status: 302 })), 500);
  assert.equal(statusOf(Object.assign(new Error("odd"), { status: 404.5 })), 500);
  assert.equal(statusOf(Object.assign(new Error("text"), { status: "404" })), 500);
  assert.equal(statusOf(new Error("boom")), 500);
  assert.equal(statusOf("a thrown string"), 500);
  assert.equal(statusOf(null), 500);
  assert.equal(statusOf(undefined), 500);
});
