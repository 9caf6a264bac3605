// frank's process and Node.js metrics against prom-client's collectDefaultMetrics(), the names
// Node users' dashboards and alerts are written for: same names, same types, same label names.
import assert from "node:assert/strict";
import { test } from "node:test";
import { collectDefaultMetrics, Registry } from "prom-client";
import { ExpositionWriter } from "./exposition.js";
import { ProcessMetrics } from "./process-metrics.js";

interface Family {
  type: string;
  labels: Set<string>;
}

/** Family name -> type and label names, from an exposition's TYPE and sample lines. */
function families(exposition: string): Map<string, Family> {
  const found = new Map<string, Family>();
  for (const line of exposition.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) found.set(type[1], { type: type[2], labels: new Set() });
    const sample = /^([a-z_:][a-z0-9_:]*)\{([^}]*)\}/i.exec(line);
    if (!sample) continue;
    const family = found.get(sample[1]) ?? found.get(sample[1].replace(/_(bucket|sum|count)$/, "")) ?? undefined;
    for (const pair of sample[2].matchAll(/([a-z_][a-z0-9_]*)="/gi)) if (pair[1] !== "le") family?.labels.add(pair[1]);
  }
  return found;
}

/** What prom-client has that frank leaves out, and why. */
const LEFT_OUT: Record<string, string> = {
  nodejs_active_handles_total: "a gauge named _total: promtool rejects it",
  nodejs_active_requests_total: "a gauge named _total: promtool rejects it",
  nodejs_active_resources_total: "a gauge named _total: promtool rejects it",
  nodejs_active_handles: "read from process._getActiveHandles(), a deprecated private API",
  nodejs_active_requests: "read from process._getActiveRequests(), a deprecated private API",
};

/** Work for the GC observers and the delay monitors to report. */
async function garbage(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    JSON.stringify(Array.from({ length: 20_000 }, (_, n) => ({ n })));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test("every process and Node.js metric prom-client collects by default is there, by the same name, type and labels", async (t) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = new ProcessMetrics();
  t.after(() => metrics.stop());
  await metrics.write(new ExpositionWriter()); // starts the monitors
  await garbage();
  const reference = families(await registry.metrics());
  const out = new ExpositionWriter();
  await metrics.write(out);
  const ours = families(out.text());

  const missing: string[] = [];
  for (const [name, family] of reference) {
    if (name in LEFT_OUT) {
      assert.equal(ours.has(name), false, `${name} is left out: ${LEFT_OUT[name]}`);
      continue;
    }
    const mine = ours.get(name);
    if (!mine) {
      missing.push(name);
      continue;
    }
    assert.equal(mine.type, family.type, `${name}: type`);
    assert.deepEqual([...mine.labels].sort(), [...family.labels].sort(), `${name}: label names`);
  }
  assert.deepEqual(missing, [], "prom-client names frank does not expose");
  for (const name of ours.keys()) assert.ok(reference.has(name), `${name} is not one of prom-client's names`);
});

test("the delay statistics cover the time since the last scrape, without the monitor's own 10 ms", async (t) => {
  const metrics = new ProcessMetrics();
  t.after(() => metrics.stop());
  await metrics.write(new ExpositionWriter());
  await new Promise((resolve) => setTimeout(resolve, 200));
  const out = new ExpositionWriter();
  await metrics.write(out);
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(out.text())?.[1]);
  // An idle loop is late by far less than the 10 ms between samples.
  assert.ok(value("nodejs_eventloop_lag_min_seconds") < 0.005, out.text());
  assert.ok(value("nodejs_eventloop_lag_p99_seconds") >= value("nodejs_eventloop_lag_p50_seconds"));
});
