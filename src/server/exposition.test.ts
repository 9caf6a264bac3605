import assert from "node:assert/strict";
import { test } from "node:test";
import { bucketIndex, ExpositionWriter, escapeLabelValue, formatValue, labelPairs } from "./exposition.js";

test("values are written in Go's float syntax, with +Inf, -Inf and NaN", () => {
  assert.equal(formatValue(3), "3");
  assert.equal(formatValue(0.025), "0.025");
  assert.equal(formatValue(1e-7), "1e-7");
  assert.equal(formatValue(Number.POSITIVE_INFINITY), "+Inf");
  assert.equal(formatValue(Number.NEGATIVE_INFINITY), "-Inf");
  assert.equal(formatValue(Number.NaN), "NaN");
});

test("label values escape backslash, double quote and line feed, and nothing else", () => {
  assert.equal(escapeLabelValue('/a"b\\c\nd'), '/a\\"b\\\\c\\nd');
  assert.equal(escapeLabelValue("/hello/:name"), "/hello/:name");
  assert.equal(escapeLabelValue("tab\there ünï"), "tab\there ünï");
  assert.equal(labelPairs({ method: "GET", route: 'x"y' }), 'method="GET",route="x\\"y"');
});

test("a histogram's buckets are cumulative, end with +Inf, and its count is the +Inf bucket", () => {
  const out = new ExpositionWriter().family("d_seconds", "histogram", "Durations.\nSecond \\ line.");
  out.histogram("d_seconds", 'r="/x"', ["0.1", "1"], [2, 0, 3], 4.5);
  assert.equal(
    out.text(),
    [
      "# HELP d_seconds Durations.\\nSecond \\\\ line.",
      "# TYPE d_seconds histogram",
      'd_seconds_bucket{r="/x",le="0.1"} 2',
      'd_seconds_bucket{r="/x",le="1"} 2',
      'd_seconds_bucket{r="/x",le="+Inf"} 5',
      'd_seconds_sum{r="/x"} 4.5',
      'd_seconds_count{r="/x"} 5',
      "",
    ].join("\n"),
  );
});

test("a value on a bucket's upper bound falls in that bucket (le is less than or equal)", () => {
  const bounds = [0.005, 0.01, 0.1];
  assert.equal(bucketIndex(bounds, 0), 0);
  assert.equal(bucketIndex(bounds, 0.005), 0);
  assert.equal(bucketIndex(bounds, 0.0051), 1);
  assert.equal(bucketIndex(bounds, 0.1), 2);
  assert.equal(bucketIndex(bounds, 7), 3, "above every bound: only +Inf");
});
