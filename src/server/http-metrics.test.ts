import assert from "node:assert/strict";
import { test } from "node:test";
import { ExpositionWriter } from "./exposition.js";
import { DURATION_BUCKETS, HttpMetrics, MAX_ROUTES, OTHER_ROUTES } from "./http-metrics.js";

function lines(metrics: HttpMetrics): string[] {
  const out = new ExpositionWriter();
  metrics.write(out);
  return out.text().split("\n");
}

test("one series per method, route pattern and status code; in flight counts up and down", () => {
  const metrics = new HttpMetrics();
  metrics.started();
  metrics.started();
  assert.equal(metrics.inFlight, 2);
  metrics.ended("GET", "/hello/:name", 200, 0.003);
  metrics.started();
  metrics.ended("GET", "/hello/:name", 200, 0.2);
  metrics.started();
  metrics.ended("GET", "/hello/:name", 404, 0.001);
  assert.equal(metrics.inFlight, 1);
  const text = lines(metrics);
  assert.ok(text.includes('http_requests_total{method="GET",route="/hello/:name",status_code="200"} 2'));
  assert.ok(text.includes('http_requests_total{method="GET",route="/hello/:name",status_code="404"} 1'));
  assert.ok(
    text.includes(
      'http_request_duration_seconds_bucket{method="GET",route="/hello/:name",status_code="200",le="0.005"} 1',
    ),
  );
  assert.ok(
    text.includes(
      'http_request_duration_seconds_bucket{method="GET",route="/hello/:name",status_code="200",le="0.25"} 2',
    ),
  );
  assert.ok(
    text.includes('http_request_duration_seconds_sum{method="GET",route="/hello/:name",status_code="200"} 0.203'),
  );
  assert.ok(text.includes("http_requests_in_flight 1"));
  assert.equal(
    text.filter((line) => line.startsWith("http_request_duration_seconds_bucket")).length,
    2 * (DURATION_BUCKETS.length + 1),
  );
});

test("with no requests yet the families are declared and empty", () => {
  const text = lines(new HttpMetrics());
  assert.deepEqual(
    text.filter((line) => line.startsWith("# TYPE")),
    [
      "# TYPE http_requests_total counter",
      "# TYPE http_request_duration_seconds histogram",
      "# TYPE http_requests_in_flight gauge",
    ],
  );
  assert.ok(text.includes("http_requests_in_flight 0"));
});

test("past MAX_ROUTES distinct routes the rest share one series, so a handler recording raw paths cannot explode the labels", () => {
  const metrics = new HttpMetrics();
  for (let i = 0; i < MAX_ROUTES + 50; i++) {
    metrics.started();
    metrics.ended("GET", `/raw/${i}`, 200, 0.001);
  }
  metrics.started();
  metrics.ended("GET", "/raw/0", 200, 0.001);
  const counts = lines(metrics).filter((line) => line.startsWith("http_requests_total{"));
  assert.equal(counts.length, MAX_ROUTES + 1);
  assert.ok(counts.includes(`http_requests_total{method="GET",route="${OTHER_ROUTES}",status_code="200"} 50`));
  assert.ok(
    counts.includes('http_requests_total{method="GET",route="/raw/0",status_code="200"} 2'),
    "known routes still count",
  );
  assert.equal(metrics.inFlight, 0);
});

test("runs and switches of label sets are each counted in their own series", () => {
  const metrics = new HttpMetrics();
  const sequence: [string, string, number][] = [
    ["GET", "/a", 200],
    ["GET", "/a", 200],
    ["POST", "/a", 200],
    ["GET", "/a", 500],
    ["GET", "/b", 200],
    ["GET", "/a", 200],
    ["POST", "/a", 200],
  ];
  for (const [method, route, status] of sequence) {
    metrics.started();
    metrics.ended(method, route, status, 0.001);
  }
  const text = lines(metrics);
  for (const [labels, count] of [
    ['method="GET",route="/a",status_code="200"', 3],
    ['method="POST",route="/a",status_code="200"', 2],
    ['method="GET",route="/a",status_code="500"', 1],
    ['method="GET",route="/b",status_code="200"', 1],
  ] as const)
    assert.ok(text.includes(`http_requests_total{${labels}} ${count}`), labels);
});
