// frank/middleware exports what an app composes or calls; the helpers frank builds on stay inside.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as middleware from "./index.js";

test("frank/middleware exports the middleware and the helpers an app calls, not frank's internals", () => {
  const exported = Object.keys(middleware);
  for (const name of [
    "accessLog",
    "compression",
    "cookieSession",
    "getSession",
    "cors",
    "hostAuthorization",
    "methodOverride",
    "protection",
    "authenticityToken",
    "requestId",
    "getRequestId",
    "showExceptions",
  ]) {
    assert.ok(exported.includes(name), `${name} is missing`);
  }
  for (const internal of [
    "formatDevLine",
    "formatJsonLine",
    "writeToStdout",
    "deriveRequest",
    "renderNotFoundPage",
    "suggestedRoute",
    "renderErrorPage",
    "findSession",
    "negotiate",
    "isCompressible",
    "LOOPBACK_HOSTS",
  ]) {
    assert.ok(!exported.includes(internal), `${internal} is exported`);
  }
});
