/**
 * `frank build`'s output: FILE's bundle written ahead of time as `.frank/<name>.mjs` beside FILE,
 * with `.frank/<name>.json` naming every file it was built from and its SHA-256. `frank FILE`
 * uses it while each of those files still has that content: a container image built with
 * `frank build` starts without esbuild (which need not be installed) and without bundling.
 * Contents, not modification times, decide: copying a project (COPY in a Dockerfile) keeps them.
 * Paths are relative to the `.frank` folder, so the project may move as a whole.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { tsconfigCandidates } from "./bundle-cache.js";
import { frankVersion } from "./version.js";

interface Manifest {
  frank: string;
  /** Each file the bundle depends on, relative to the `.frank` folder, and its SHA-256 (null: it did not exist). */
  files: [path: string, sha256: string | null][];
}

/** Where the build of FILE goes. */
export function prebuiltPaths(file: string): { folder: string; module: string; manifest: string } {
  const folder = join(dirname(file), ".frank");
  const name = basename(file, extname(file));
  return { folder, module: join(folder, `${name}.mjs`), manifest: join(folder, `${name}.json`) };
}

function sha256(path: string): string | null {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return null;
  }
}

/** The built module of FILE when it was built from the files as they are now, else undefined. */
export function freshPrebuilt(file: string): string | undefined {
  const { folder, module, manifest } = prebuiltPaths(file);
  let parsed: Manifest;
  try {
    parsed = JSON.parse(readFileSync(manifest, "utf8")) as Manifest;
  } catch {
    return undefined; // never built
  }
  if (parsed.frank !== frankVersion() || !Array.isArray(parsed.files)) return undefined;
  const unchanged = parsed.files.every(([path, hash]) => sha256(resolve(folder, path)) === hash);
  return unchanged && sha256(module) !== null ? module : undefined;
}

/**
 * Writes the bundle of FILE (built relative to the `.frank` folder) and its manifest; returns
 * the module's path. `inputs` are the files bundled; `externals` the files it imports.
 */
export function writePrebuilt(
  file: string,
  code: string,
  inputs: readonly string[],
  externals: readonly string[],
): string {
  const { folder, module, manifest } = prebuiltPaths(file);
  mkdirSync(folder, { recursive: true });
  // The app's own JavaScript counts too (a .js file that appears can change what an import finds);
  // installed packages do not: Node imports them as they are when the app starts.
  const own = externals.filter((path) => !path.split(/[\\/]/).includes("node_modules"));
  const files = [...new Set([...inputs, ...tsconfigCandidates(inputs), ...own])].map(
    (path): [string, string | null] => [relative(folder, path), sha256(path)],
  );
  const written: Manifest = { frank: frankVersion(), files };
  // Written under temporary names and renamed: a server starting meanwhile never reads half a file.
  writeFileSync(`${module}.tmp`, code);
  renameSync(`${module}.tmp`, module);
  writeFileSync(`${manifest}.tmp`, `${JSON.stringify(written, null, 2)}\n`);
  renameSync(`${manifest}.tmp`, manifest);
  return module;
}
