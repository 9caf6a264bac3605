import assert from "node:assert/strict";
import { test } from "node:test";
import { isLoopbackHost } from "./loopback.js";

test("loopback in the forms flags and env use", () => {
  for (const text of [
    "127.0.0.1",
    "127.1.2.3",
    "localhost",
    "LOCALHOST",
    "::1",
    "[::1]:8080",
    "127.0.0.1:8000",
    "tcp://localhost:9292",
    "::ffff:127.0.0.1",
    "0:0:0:0:0:0:0:1",
    "app.localhost",
  ]) {
    assert.equal(isLoopbackHost(text), true, text);
  }
});

test("all interfaces, pod addresses and names are not loopback", () => {
  for (const text of [
    "0.0.0.0",
    "::",
    "[::]:80",
    "0.0.0.0:8000",
    "tcp://0.0.0.0:9292",
    "198.18.0.2",
    "2001:db8::2",
    "shop.example",
    "unix:/tmp/app.sock",
    "",
  ]) {
    assert.equal(isLoopbackHost(text), false, text);
  }
});
