import { parseArgs } from "node:util";
import { resolveServerConfig, type ServerConfig } from "../server/config.js";
import type { Servable } from "../http/types.js";
import { CliError } from "./cli-error.js";
import { LIFECYCLE_OPTIONS, lifecycleFlags, lifecycleRows } from "./lifecycle-options.js";
import { findAppFile } from "./app-file.js";
import { parseWithUsage, SERVER_OPTIONS, serverFlags } from "./server-options.js";

const CONFIG_USAGE = "Usage: frank config [FILE] [-p PORT] [-o HOST] [-E ENV] [-w N] [--json]";

const CONFIG_OPTIONS = { ...SERVER_OPTIONS, ...LIFECYCLE_OPTIONS, json: { type: "boolean" } } as const;

/** The app's settings (port, bind and the lifecycle ones such as drainTimeout), when it has any. */
function appSettings(app: Servable | undefined): Record<string, unknown> | undefined {
  const settings = (app as { settings?: unknown } | undefined)?.settings;
  return settings !== null && typeof settings === "object" ? (settings as Record<string, unknown>) : undefined;
}

function table(config: ServerConfig, file: string | undefined): string {
  const yesNo = (value: boolean) => (value ? "yes" : "no");
  const rows: [string, string, string][] = [
    ["environment", config.environment.value, config.environment.source],
    ["port", String(config.port.value), config.port.source],
    ["host", `${config.host.value} (${config.host.kind})`, config.host.source],
    ["listeners", config.host.bindAddresses.join(", "), "one per address"],
    ["workers", String(config.workers.value), config.workers.source],
    ["container", yesNo(config.container.inContainer), config.container.reason ?? "no container evidence found"],
    [
      "kubernetes",
      yesNo(config.container.kubernetes),
      config.container.kubernetes ? (config.container.reason ?? "") : "-",
    ],
    ...lifecycleRows(config.lifecycle),
    ["app file", file ?? "none found", file ? "FILE" : "-"],
  ];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length), column === 0 ? 7 : 5));
  const line = (row: string[]) => `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`.trimEnd();
  const lines = [line(["setting", "value", "source"]), ...rows.map(line)];
  for (const warning of config.warnings) lines.push(`!! WARNING: ${warning}`);
  return lines.join("\n");
}

/**
 * `frank config [FILE] [--json]`: every value `frank serve` would use, with where it came from.
 * FILE is loaded (when there is one) because its `port` and `bind` settings take part.
 */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseWithUsage(CONFIG_USAGE, () =>
    parseArgs({ args, options: CONFIG_OPTIONS, allowPositionals: true, strict: true }),
  );
  if (values.help) {
    console.log(
      `${CONFIG_USAGE}\n\nPrints environment, port, host, workers, container detection, shutdown, timeouts, limits,\nprobes and access log, each with its source.\nTakes the same options as frank serve, to show what they would change.`,
    );
    return 0;
  }
  if (positionals.length > 1)
    throw new CliError(`one app FILE at a time, got ${positionals.join(" ")}`, { exitCode: 2, usage: CONFIG_USAGE });
  const flags = { ...serverFlags(values), ...lifecycleFlags(values) };
  const userEnv = { ...process.env };
  const early = resolveServerConfig({ flags, env: userEnv });
  process.env.APP_ENV = early.environment.value;
  const file = findAppFile(positionals[0]);
  // Loading an app (and what that takes) only when there is one.
  const app = file ? (await (await import("./load-app.js")).loadApp(file)).app : undefined;
  const config = resolveServerConfig({ flags, env: userEnv, appSettings: appSettings(app) });
  console.log(values.json ? JSON.stringify({ ...config, file: file ?? null }, null, 2) : table(config, file));
  return 0;
}
