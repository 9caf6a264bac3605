import assert from "node:assert/strict";
import { test } from "node:test";
import { deriveRequest } from "./request-state.js";
import { recordTraceIds, traceIdFromHeader, traceIdsOf } from "./trace-ids.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

test("traceparent: the trace id of a valid header, nothing from an invalid one", () => {
  assert.equal(traceIdFromHeader(`00-${TRACE}-00f067aa0ba902b7-01`), TRACE);
  assert.equal(traceIdFromHeader(`00-${TRACE}-00f067aa0ba902b7-00`), TRACE, "not sampled is still a trace");
  assert.equal(
    traceIdFromHeader(`01-${TRACE}-00f067aa0ba902b7-01-what-comes-later`),
    TRACE,
    "a later version may add fields",
  );
  for (const invalid of [
    null,
    "",
    `00-${TRACE}-00f067aa0ba902b7-01-extra`, // version 00 has exactly four fields
    `ff-${TRACE}-00f067aa0ba902b7-01`, // version ff is forbidden
    `00-${"0".repeat(32)}-00f067aa0ba902b7-01`, // all-zero trace id
    `00-${TRACE}-${"0".repeat(16)}-01`, // all-zero parent id
    `00-${TRACE.toUpperCase()}-00f067aa0ba902b7-01`, // upper-case hex
    `00-${TRACE.slice(1)}-00f067aa0ba902b7-01`,
    `00_${TRACE}_00f067aa0ba902b7_01`,
  ]) {
    assert.equal(traceIdFromHeader(invalid), undefined, String(invalid));
  }
});

test("traceparent: a huge hostile header is turned away at once", () => {
  for (const hostile of [
    `00-${"a".repeat(5_000_000)}`,
    "0".repeat(5_000_000),
    `00-${TRACE}-00f067aa0ba902b7-01${"-".repeat(5_000_000)}`,
  ]) {
    const started = performance.now();
    assert.equal(traceIdFromHeader(hostile), undefined);
    assert.ok(performance.now() - started < 1_000, "linear, and cut off by length first");
  }
});

test("a tracer's ids win over the header, and are found from a derived request too", () => {
  const request = new Request("http://x/", { headers: { traceparent: `00-${TRACE}-00f067aa0ba902b7-01` } });
  assert.deepEqual(traceIdsOf(request), { traceId: TRACE, spanId: undefined });
  const derived = deriveRequest(request, new Request("http://x/", { method: "DELETE" }));
  recordTraceIds(derived, { traceId: "1".repeat(32), spanId: "2".repeat(16) });
  assert.deepEqual(
    traceIdsOf(request),
    { traceId: "1".repeat(32), spanId: "2".repeat(16) },
    "recorded on the original",
  );
  assert.deepEqual(traceIdsOf(derived), { traceId: "1".repeat(32), spanId: "2".repeat(16) });
  assert.equal(traceIdsOf(new Request("http://x/")), undefined);
});
