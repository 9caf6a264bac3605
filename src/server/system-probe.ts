import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, networkInterfaces } from "node:os";

/**
 * What the launcher asks the machine. Everything the resolution reads from outside the
 * process environment goes through here, so tests can describe any machine they like.
 */
export interface SystemProbe {
  fileExists(path: string): boolean;
  /** The file's text, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /** Whether any interface carries an IPv6 address (so `::` can be bound). */
  hasIPv6(): boolean;
  cpuCount(): number;
}

export const systemProbe: SystemProbe = {
  fileExists: (path) => existsSync(path),
  readFile: (path) => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
  hasIPv6: () => Object.values(networkInterfaces()).some((list) => list?.some((nic) => nic.family === "IPv6")),
  cpuCount: () => availableParallelism(),
};
