import { readFileSync } from "node:fs";

/** frank's version from package.json (src/cli and dist/cli both sit two folders below it). */
export function frankVersion(): string {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}
