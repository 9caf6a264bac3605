// Files under `dir` whose names end with `suffix`, sorted; node_modules and dot-folders skipped.
// Node 20's `--test` does not expand globs, so the test scripts gather their files with this.
import { readdirSync } from "node:fs";
import { join } from "node:path";

export function findFiles(dir, suffix) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(path, suffix));
    else if (entry.name.endsWith(suffix)) found.push(path);
  }
  return found.sort();
}
