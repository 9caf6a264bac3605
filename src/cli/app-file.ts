// Which file `frank`, `frank config`, `frank routes` and `frank build` serve: FILE, or the first
// default file that exists. Kept apart from load-app.ts so that `frank --help` and `frank config`
// need not load what loading an app takes.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { CliError } from "./cli-error.js";

/** Tried in this order when no FILE is given (as rackup looks for config.ru). */
export const DEFAULT_APP_FILES = ["app.ts", "app.js", "src/app.ts", "index.ts"];

/** FILE, or the first default file that exists in `cwd`; undefined when there is none. */
export function findAppFile(file: string | undefined, cwd = process.cwd()): string | undefined {
  if (file !== undefined) {
    const path = resolve(cwd, file);
    if (!existsSync(path)) throw new CliError(`${file} does not exist (looked in ${cwd})`);
    if (statSync(path).isDirectory()) return findAppFile(undefined, path) ?? missing(path);
    return path;
  }
  return DEFAULT_APP_FILES.map((name) => join(cwd, name)).find((path) => existsSync(path));
}

function missing(dir: string): never {
  throw new CliError(
    `no app file in ${dir}: looked for ${DEFAULT_APP_FILES.join(", ")}. Name the file: frank serve path/to/app.ts`,
  );
}

/** Like findAppFile, but a missing file is an error that says where frank looked. */
export function requireAppFile(file: string | undefined, cwd = process.cwd()): string {
  return findAppFile(file, cwd) ?? missing(cwd);
}
