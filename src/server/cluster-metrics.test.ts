import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeExpositions } from "./cluster-metrics.js";

const worker = (requests: number, inFlight: number, rss: number) =>
  [
    "# HELP http_requests_total Requests.",
    "# TYPE http_requests_total counter",
    `http_requests_total{method="GET",route="/a",status_code="200"} ${requests}`,
    "# HELP http_requests_in_flight In flight.",
    "# TYPE http_requests_in_flight gauge",
    `http_requests_in_flight ${inFlight}`,
    "# HELP process_resident_memory_bytes RSS.",
    "# TYPE process_resident_memory_bytes gauge",
    `process_resident_memory_bytes ${rss}`,
    "# HELP frank_shutdown_phase Phase.",
    "# TYPE frank_shutdown_phase gauge",
    'frank_shutdown_phase{phase="serving"} 1',
    "",
  ].join("\n");

test("request metrics are summed over the workers, everything else kept per worker, each family together", () => {
  const merged = mergeExpositions(
    new Map([
      ["1", worker(3, 1, 100)],
      ["2", worker(4, 0, 200)],
    ]),
  );
  assert.equal(
    merged,
    [
      "# HELP http_requests_total Requests.",
      "# TYPE http_requests_total counter",
      'http_requests_total{method="GET",route="/a",status_code="200"} 7',
      "# HELP http_requests_in_flight In flight.",
      "# TYPE http_requests_in_flight gauge",
      "http_requests_in_flight 1",
      "# HELP process_resident_memory_bytes RSS.",
      "# TYPE process_resident_memory_bytes gauge",
      'process_resident_memory_bytes{worker="1"} 100',
      'process_resident_memory_bytes{worker="2"} 200',
      "# HELP frank_shutdown_phase Phase.",
      "# TYPE frank_shutdown_phase gauge",
      'frank_shutdown_phase{worker="1",phase="serving"} 1',
      'frank_shutdown_phase{worker="2",phase="serving"} 1',
      "",
    ].join("\n"),
  );
});

test("a series only one worker has yet is still there", () => {
  const merged = mergeExpositions(
    new Map([
      ["1", worker(1, 0, 1)],
      ["2", worker(1, 0, 1).replace('route="/a"', 'route="/b"')],
    ]),
  );
  assert.match(merged, /^http_requests_total\{method="GET",route="\/a",status_code="200"\} 1$/m);
  assert.match(merged, /^http_requests_total\{method="GET",route="\/b",status_code="200"\} 1$/m);
});
