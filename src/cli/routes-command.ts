import { environmentFromProcess } from "../http/environment.js";
import { CliError } from "./cli-error.js";
import { requireAppFile } from "./app-file.js";
import { loadApp } from "./load-app.js";
import { parseCommandLine } from "./server-options.js";

const ROUTES_USAGE = `Usage: frank routes [FILE] [--json] [-E ENV]

Prints the app's route table in matching order (method, pattern, conditions), like
\`rails routes\`. FILE defaults to the first of app.ts, app.js, src/app.ts, index.ts.`;

const OPTIONS = {
  json: { type: "boolean" },
  env: { type: "string", short: "E" },
  help: { type: "boolean", short: "h" },
} as const;

interface RouteRow {
  method: string;
  pattern: string;
  conditions: string;
}

interface RouteTable {
  routes(): ReadonlyArray<{ method: string; pattern: string | RegExp; conditions?: Record<string, unknown> }>;
}

function hasRouteTable(app: unknown): app is RouteTable {
  return typeof (app as Partial<RouteTable> | null)?.routes === "function";
}

function describeValue(value: unknown): string {
  if (value instanceof RegExp) return String(value);
  if (typeof value === "function") return value.name ? `${value.name}()` : "(function)";
  return JSON.stringify(value) ?? String(value);
}

function describeConditions(conditions: Record<string, unknown> | undefined): string {
  if (!conditions) return "";
  return Object.entries(conditions)
    .filter(([name, value]) => value !== undefined && name !== "openapi") // openapi: documentation only
    .map(([name, value]) =>
      // The schemas themselves are library objects; which parts are validated is what a reader needs.
      name === "validate" && typeof value === "object"
        ? `validate: ${Object.keys(value as object).join(" ")}`
        : `${name}: ${describeValue(value)}`,
    )
    .join(", ");
}

function formatTable(rows: RouteRow[]): string {
  const header: RouteRow = { method: "METHOD", pattern: "PATTERN", conditions: "CONDITIONS" };
  const all = [header, ...rows];
  const methodWidth = Math.max(...all.map((row) => row.method.length));
  const patternWidth = Math.max(...all.map((row) => row.pattern.length));
  return all
    .map((row) => `${row.method.padEnd(methodWidth)}  ${row.pattern.padEnd(patternWidth)}  ${row.conditions}`.trimEnd())
    .join("\n");
}

/** `frank routes [FILE]`: loads the app without serving it and prints its route table. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, OPTIONS, ROUTES_USAGE);
  if (values.help) {
    console.log(ROUTES_USAGE);
    return 0;
  }
  if (positionals.length > 1)
    throw new CliError(`expected one FILE, got ${positionals.length}`, { exitCode: 2, usage: ROUTES_USAGE });
  // The app reads its environment as it loads; set it as `frank serve` would, so configure() blocks agree.
  process.env.APP_ENV = values.env ?? environmentFromProcess();
  const { file, app } = await loadApp(requireAppFile(positionals[0]));
  if (!hasRouteTable(app)) {
    throw new CliError(
      `${file} exports a handler without a route table (frank routes lists the routes of a frank App)`,
    );
  }
  const rows = app.routes().map(({ method, pattern, conditions }) => ({
    method,
    pattern: String(pattern),
    conditions: describeConditions(conditions),
  }));
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  else if (rows.length === 0) console.log(`${file} defines no routes`);
  else console.log(formatTable(rows));
  return 0;
}
