/**
 * frank with its observability on, against frank with it off (the `frank` target, which like the
 * peers keeps no metrics and writes no access log): what /metrics and tracing cost per request.
 *
 * - frank+metrics: the request counters, duration histograms and in-flight gauge (on by default).
 * - frank+otel: frank/otel with the OpenTelemetry SDK preloaded by `-r`, every span sampled and
 *   handed to a batch processor whose exporter drops it (bench/targets/otel-preload.ts).
 */
import type { ScenarioName } from "./scenarios.js";
import type { Target } from "./targets.js";

/** The request paths where the per-request work shows; files and bodies add nothing new. */
const SCENARIOS: ScenarioName[] = ["hello", "json", "user", "missing"];

function variant(frank: Target, name: string, extraArgs: string[]): Target {
  return {
    name,
    node: true,
    scenarios: SCENARIOS,
    unavailable: () => frank.unavailable(),
    launch: (port) => {
      const launch = frank.launch(port);
      // The frank target turns metrics off for parity with the peers; the last flag wins.
      return { ...launch, args: [...launch.args, ...extraArgs] };
    },
  };
}

export function observabilityTargets(frank: Target): Target[] {
  return [
    variant(frank, "frank+metrics", ["--metrics", "/metrics"]),
    variant(frank, "frank+otel", ["-r", "./bench/targets/otel-preload.ts"]),
  ];
}
