// A folder of manifests may hold several unrelated apps, and names repeat across them (every
// example has its "frontend" Service). A reference is resolved to the nearest candidates:
// those in the same file, else those whose folder shares the longest path with it. A set split
// over files of one folder still resolves across them, and an unrelated example never wins
// over the object next to the reference.
import { posix } from "node:path";

export function nearest<T>(candidates: readonly T[], fileOf: (candidate: T) => string, from: string): T[] {
  let best: T[] = [];
  let bestScore = -1;
  for (const candidate of candidates) {
    const score = closeness(fileOf(candidate), from);
    if (score > bestScore) {
      best = [candidate];
      bestScore = score;
    } else if (score === bestScore) {
      best.push(candidate);
    }
  }
  return best;
}

/**
 * Same file scores highest, then the same folder; otherwise the number of folders the two
 * paths share (a sibling's subfolder shares as many as the folder itself, but is not it).
 */
export function closeness(file: string, from: string): number {
  if (file === from) return Number.MAX_SAFE_INTEGER;
  const a = posix.dirname(file).split("/");
  const b = posix.dirname(from).split("/");
  let shared = 0;
  while (shared < a.length && shared < b.length && a[shared] === b[shared]) shared++;
  return shared * 2 + (a.length === b.length && shared === a.length ? 1 : 0);
}

export function sameFolder(file: string, from: string): boolean {
  return posix.dirname(file) === posix.dirname(from);
}
