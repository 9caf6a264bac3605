// What the listeners and the reachability probes mean for a Service sending traffic to the port.
import type { DoctorFinding } from "./doctor-finding.js";
import { type Listener, formatListenAddress } from "./listeners.js";
import type { Reachability } from "./reachability.js";

export interface ListenerVerdict {
  /** One plain sentence about the port. */
  sentence: string;
  findings: DoctorFinding[];
}

const LOOPBACK_FIX = "start with --host :: or unset HOST";

export function listenerVerdict(
  port: number,
  listeners: readonly Listener[],
  reachability: readonly Reachability[],
): ListenerVerdict {
  const onPort = listeners.filter((listener) => listener.port === port);
  if (onPort.length === 0) {
    const elsewhere = listeners.filter((listener) => !listener.loopback).map(formatListenAddress);
    const sentence =
      `nothing listens on port ${port}` +
      (elsewhere.length > 0 ? ` (listening elsewhere: ${elsewhere.slice(0, 5).join(", ")})` : "") +
      ": a Service sending traffic there is refused and the Ingress answers Bad Gateway";
    return {
      sentence,
      findings: [
        {
          code: "nothing-listens",
          severity: "error",
          summary: sentence,
          fix: "start the server, or make PORT, the containerPort and the Service's targetPort the same port (frank doctor --port N checks another port)",
        },
      ],
    };
  }

  const where = onPort.map(formatListenAddress).join(" and ");
  if (onPort.every((listener) => listener.loopback)) {
    const sentence = `listening on ${where} only: the Service and the Ingress cannot reach it; ${LOOPBACK_FIX}`;
    return { sentence, findings: [{ code: "loopback-only", severity: "error", summary: sentence, fix: LOOPBACK_FIX }] };
  }

  const reached = reachability.filter((probe) => probe.outcome === "connected");
  const missed = reachability.filter((probe) => probe.outcome !== "connected");
  if (reachability.length === 0) {
    return {
      sentence: `listening on ${where}; this machine has no non-loopback address to test it from`,
      findings: [],
    };
  }
  const describe = (probes: readonly Reachability[]) =>
    probes.map((probe) => `${probe.address}${probe.outcome === "connected" ? "" : ` (${probe.outcome})`}`).join(", ");
  if (reached.length === 0) {
    const sentence = `listening on ${where}, but no address of this machine reaches it (${describe(missed)}): the Service cannot connect and the Ingress answers Bad Gateway`;
    return {
      sentence,
      findings: [
        {
          code: "unreachable",
          severity: "error",
          summary: sentence,
          fix: "start with --host :: (all interfaces), or check the pod's network policy and firewall",
        },
      ],
    };
  }
  if (missed.length > 0) {
    const sentence = `listening on ${where}: reachable at ${describe(reached)} but not at ${describe(missed)}; a Service that sends traffic to those addresses (an IPv6-only or IPv6-first cluster) gets Bad Gateway`;
    return {
      sentence,
      findings: [
        {
          code: "partly-reachable",
          severity: "warning",
          summary: sentence,
          fix: "start with --host :: (dual-stack, all interfaces)",
        },
      ],
    };
  }
  return { sentence: `listening on ${where}, reachable at ${describe(reached)}: a Service can reach it`, findings: [] };
}
