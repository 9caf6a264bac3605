/**
 * Bundles of TypeScript apps kept between starts, so a restart (a reload, a crashed pod's
 * next container, `frank routes` after `frank serve`) skips esbuild, which is most of what
 * the launcher adds to a start. A bundle is used only while every file it was built from —
 * the app's own files, the tsconfig.json files that shaped them, and the package files it
 * imports — still has the size and modification time it had; anything else builds anew.
 *
 * The folder is private to the user (created 0700, and refused if anyone else owns it or
 * can write to it), since importing a bundle runs its code.
 */
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A file a bundle depends on: its size and mtime when the bundle was built, or null if it did not exist. */
type Witness = [path: string, size: number | null, mtimeMs: number | null];

function witness(path: string): Witness {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? [path, stats.size, stats.mtimeMs] : [path, null, null];
}

function unchanged([path, size, mtimeMs]: Witness): boolean {
  const now = witness(path);
  return now[1] === size && now[2] === mtimeMs;
}

/** Every tsconfig.json esbuild could have read for these files: in their folders and each folder above. */
export function tsconfigCandidates(files: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const file of files) {
    for (let folder = dirname(file); !folders.has(folder); folder = dirname(folder)) {
      folders.add(folder);
      if (dirname(folder) === folder) break;
    }
  }
  return [...folders].map((folder) => join(folder, "tsconfig.json"));
}

/** The cache folder of this user, or undefined when none can be made safely. */
function privateFolder(): string | undefined {
  const uid = process.getuid?.();
  const folder = join(tmpdir(), `frank-bundles-${uid ?? "user"}`);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stats = lstatSync(folder);
    if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid) || (stats.mode & 0o022) !== 0)
      return undefined;
    return folder;
  } catch {
    return undefined;
  }
}

export interface BundleCache {
  /** The path of a bundle built from the files as they are now, if there is one. */
  fresh(): string | undefined;
  /**
   * Keeps `code`, built from `inputs` and importing `externals` by a build that started at
   * `startedAt` (ms since the epoch); returns its path, or undefined if it was not kept.
   */
  store(code: string, inputs: readonly string[], externals: readonly string[], startedAt: number): string | undefined;
}

/** The cache entry of one app FILE; `version` names everything else that shapes a bundle (frank's and esbuild's versions). */
export function bundleCache(file: string, version: string): BundleCache | undefined {
  const folder = privateFolder();
  if (folder === undefined) return undefined;
  const key = createHash("sha256").update(`${version}\0${file}`).digest("hex").slice(0, 32);
  const bundlePath = join(folder, `${key}.mjs`);
  const witnessesPath = join(folder, `${key}.json`);

  return {
    fresh() {
      try {
        const witnesses = JSON.parse(readFileSync(witnessesPath, "utf8")) as Witness[];
        return Array.isArray(witnesses) && witnesses.every(unchanged) && statSync(bundlePath, { throwIfNoEntry: false })
          ? bundlePath
          : undefined;
      } catch {
        return undefined;
      }
    },
    store(code, inputs, externals, startedAt) {
      const witnesses = [...inputs, ...tsconfigCandidates(inputs), ...externals].map(witness);
      // A file saved while esbuild was reading may be newer than what the bundle holds: do not keep it.
      if (witnesses.some(([, , mtimeMs]) => mtimeMs !== null && mtimeMs >= startedAt - 1)) return undefined;
      try {
        // Written under a unique name and renamed: workers that build at once never read half a file.
        const temporary = `${bundlePath}.${process.pid}.tmp`;
        writeFileSync(temporary, code, { mode: 0o600 });
        renameSync(temporary, bundlePath);
        writeFileSync(`${witnessesPath}.${process.pid}.tmp`, JSON.stringify(witnesses), { mode: 0o600 });
        renameSync(`${witnessesPath}.${process.pid}.tmp`, witnessesPath);
        return bundlePath;
      } catch {
        return undefined;
      }
    },
  };
}
