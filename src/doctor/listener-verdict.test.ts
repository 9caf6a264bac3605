import assert from "node:assert/strict";
import { test } from "node:test";
import { listenerVerdict } from "./listener-verdict.js";
import type { Listener } from "./listeners.js";
import type { Reachability } from "./reachability.js";

const listener = (address: string, port: number, loopback: boolean, family: 4 | 6 = 4): Listener => ({
  family,
  address,
  port,
  loopback,
});
const probe = (address: string, outcome: Reachability["outcome"], family: 4 | 6 = 4): Reachability => ({
  interfaceName: "eth0",
  address,
  family,
  outcome,
});

test("loopback only: the seed's sentence and an error", () => {
  const verdict = listenerVerdict(8080, [listener("127.0.0.1", 8080, true)], [probe("198.18.0.2", "refused")]);
  assert.equal(
    verdict.sentence,
    "listening on 127.0.0.1:8080 only: the Service and the Ingress cannot reach it; start with --host :: or unset HOST",
  );
  assert.deepEqual(
    verdict.findings.map((finding) => [finding.code, finding.severity]),
    [["loopback-only", "error"]],
  );
});

test("both loopback addresses are named", () => {
  const verdict = listenerVerdict(8080, [listener("127.0.0.1", 8080, true), listener("::1", 8080, true, 6)], []);
  assert.match(verdict.sentence, /^listening on 127\.0\.0\.1:8080 and ::1:8080 only:/);
});

test("nothing on the port names where things do listen", () => {
  const verdict = listenerVerdict(8080, [listener("::", 4567, false, 6), listener("127.0.0.1", 9000, true)], []);
  assert.equal(verdict.findings[0]!.code, "nothing-listens");
  assert.match(verdict.sentence, /^nothing listens on port 8080 \(listening elsewhere: :::4567\)/);
});

test("all interfaces and every address connects: no finding", () => {
  const verdict = listenerVerdict(
    8080,
    [listener("::", 8080, false, 6)],
    [probe("198.18.0.2", "connected"), probe("2001:db8:1::2", "connected", 6)],
  );
  assert.deepEqual(verdict.findings, []);
  assert.equal(
    verdict.sentence,
    "listening on :::8080, reachable at 198.18.0.2, 2001:db8:1::2: a Service can reach it",
  );
});

test("some addresses refuse: a warning; none connects: an error", () => {
  const partly = listenerVerdict(
    8080,
    [listener("0.0.0.0", 8080, false)],
    [probe("198.18.0.2", "connected"), probe("2001:db8:1::2", "refused", 6)],
  );
  assert.deepEqual(
    partly.findings.map((finding) => [finding.code, finding.severity]),
    [["partly-reachable", "warning"]],
  );
  const none = listenerVerdict(8080, [listener("198.18.9.9", 8080, false)], [probe("198.18.0.2", "refused")]);
  assert.deepEqual(
    none.findings.map((finding) => [finding.code, finding.severity]),
    [["unreachable", "error"]],
  );
});
