// What an app that depends on frank installs for production: frank packed as it would be
// published (`npm pack`), installed from that tarball into a fresh folder with
// `npm ci --omit=dev` (frank's own dependencies come from the registry), then measured.
import { execFileSync } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const FRANK_ROOT = join(import.meta.dirname, "..", "..");

export interface InstalledApp {
  /** The app's folder (its node_modules holds frank and what frank needs). */
  dir: string;
  /** Every package directory under node_modules, nested ones included, as "name@version" paths. */
  packages: string[];
  /** Bytes of every file under node_modules (apparent size, as `du --apparent-size -b` counts). */
  bytes: number;
  /** Disk usage in 4 KiB blocks, as `du` counts (small files take a whole block). */
  diskBytes: number;
}

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 300_000,
    env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" },
  });
}

/** Packs this checkout (dist/ must be built) into `folder`; returns the tarball's path. */
export function packFrank(folder: string): string {
  const output = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", folder], FRANK_ROOT);
  const [{ filename }] = JSON.parse(output) as [{ filename: string }];
  return join(folder, filename);
}

/** A fresh folder with an app whose only dependency is frank from `tarball`, installed with `npm ci --omit=dev`. */
export function installApp(tarball: string): InstalledApp {
  const dir = mkdtempSync(join(tmpdir(), "frank-install-"));
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "frank-app", private: true, type: "module", dependencies: { frank: `file:${tarball}` } }, null, 2)}\n`,
  );
  npm(["install", "--package-lock-only", "--ignore-scripts"], dir);
  npm(["ci", "--omit=dev"], dir);
  return { dir, ...measure(join(dir, "node_modules")) };
}

function measure(nodeModules: string): { packages: string[]; bytes: number; diskBytes: number } {
  const packages: string[] = [];
  let bytes = 0;
  let diskBytes = 0;
  const walk = (path: string) => {
    const stats = lstatSync(path);
    diskBytes += stats.blocks * 512;
    if (!stats.isDirectory()) {
      bytes += stats.size;
      return;
    }
    for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  const findPackages = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      if (entry.name.startsWith("@")) {
        for (const scoped of readdirSync(join(folder, entry.name))) addPackage(join(folder, entry.name, scoped));
      } else addPackage(join(folder, entry.name));
    }
  };
  const addPackage = (dir: string) => {
    packages.push(dir.slice(nodeModules.length + 1));
    try {
      findPackages(join(dir, "node_modules"));
    } catch {
      // no nested node_modules
    }
  };
  findPackages(nodeModules);
  walk(nodeModules);
  return { packages: packages.sort(), bytes, diskBytes };
}
