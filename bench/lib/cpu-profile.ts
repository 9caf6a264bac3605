/** Reads a V8 .cpuprofile (from `node --cpu-prof`) and sums self time per function. */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  functionName: string;
  /** file path (file:// stripped) and 1-based line */
  location: string;
  selfMs: number;
  /** share of the busy (non-idle) samples, 0..1 */
  share: number;
}

export function selfTimes(file: string): SelfTime[] {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, SelfTime>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const frame = byNode.get(id)!.callFrame;
    if (frame.functionName === "(idle)") return;
    busy += micros;
    const location = frame.url ? `${frame.url.replace(/^file:\/\//, "")}:${frame.lineNumber + 1}` : "(native)";
    const key = `${frame.functionName}@${location}`;
    const entry = totals.get(key) ?? {
      functionName: frame.functionName || "(anonymous)",
      location,
      selfMs: 0,
      share: 0,
    };
    entry.selfMs += micros / 1000;
    totals.set(key, entry);
  });
  return [...totals.values()]
    .map((t) => ({ ...t, share: busy ? (t.selfMs * 1000) / busy : 0 }))
    .sort((a, b) => b.selfMs - a.selfMs);
}
