import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type OpenApiRoute, type OpenApiSettings, openApiDocument } from "../app/openapi.js";
import { environmentFromProcess } from "../http/environment.js";
import { CliError } from "./cli-error.js";
import { requireAppFile } from "./app-file.js";
import { loadApp } from "./load-app.js";
import { parseCommandLine } from "./server-options.js";

const OPENAPI_USAGE = `Usage: frank openapi [FILE] [-o OUT] [--strict] [-E ENV]

Writes the OpenAPI 3.1 document of the app's routes: paths from the patterns, parameters and
bodies from the routes' validate schemas, response types from provides. To standard output, or
to OUT (YAML when OUT ends in .yaml or .yml). What cannot be said in OpenAPI (RegExp routes,
schemas without JSON Schema) is reported on standard error; --strict makes that exit 1.
Title and version come from app.set("openapi", { info }), else from the app's package.json.
FILE defaults to the first of app.ts, app.js, src/app.ts, index.ts.`;

const OPTIONS = {
  out: { type: "string", short: "o" },
  strict: { type: "boolean" },
  env: { type: "string", short: "E" },
  help: { type: "boolean", short: "h" },
} as const;

interface DocumentedApp {
  routes(): readonly OpenApiRoute[];
  settings?: { openapi?: OpenApiSettings };
}

function hasRouteTable(app: unknown): app is DocumentedApp {
  return typeof (app as Partial<DocumentedApp> | null)?.routes === "function";
}

/** name, version and description of the package.json nearest to the app file. */
function packageInfo(file: string): { title?: string; version?: string; description?: string } {
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    const path = join(dir, "package.json");
    if (existsSync(path)) {
      try {
        const { name, version, description } = JSON.parse(readFileSync(path, "utf8"));
        return {
          ...(typeof name === "string" ? { title: name } : {}),
          ...(typeof version === "string" ? { version } : {}),
          ...(typeof description === "string" && description ? { description } : {}),
        };
      } catch {
        return {};
      }
    }
    if (dirname(dir) === dir) return {};
  }
}

/** `frank openapi [FILE]`: loads the app without serving it and writes its OpenAPI document. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, OPTIONS, OPENAPI_USAGE);
  if (values.help) {
    console.log(OPENAPI_USAGE);
    return 0;
  }
  if (positionals.length > 1)
    throw new CliError(`expected one FILE, got ${positionals.length}`, { exitCode: 2, usage: OPENAPI_USAGE });
  // The app reads its environment as it loads; set it as `frank serve` would, so configure() blocks agree.
  process.env.APP_ENV = values.env ?? environmentFromProcess();
  const { file, app } = await loadApp(requireAppFile(positionals[0]));
  if (!hasRouteTable(app)) {
    throw new CliError(
      `${file} exports a handler without a route table (frank openapi documents the routes of a frank App)`,
    );
  }
  const settings = app.settings?.openapi ?? {};
  const { document, warnings } = openApiDocument(app.routes(), {
    ...settings,
    // The package's name, version and description stand in for an app that names no title of its own.
    info: settings.info?.title ? settings.info : { ...packageInfo(file), ...settings.info },
  });
  for (const warning of warnings) console.error(`frank openapi: ${warning}`);

  const out = values.out;
  if (out === undefined) console.log(JSON.stringify(document, null, 2));
  else {
    const yaml = /\.ya?ml$/i.test(out);
    const text = yaml
      ? (await import("yaml")).stringify(document, { aliasDuplicateObjects: false })
      : `${JSON.stringify(document, null, 2)}\n`;
    writeFileSync(out, text);
    console.error(`frank openapi: wrote ${out} (${Object.keys(document.paths).length} paths)`);
  }
  return values.strict && warnings.length > 0 ? 1 : 0;
}
