// What help and the early checks need is imported here; the server, the logs and the app loader
// only once a server is really started, so `frank --help` answers as fast as Node starts.
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import type { Servable } from "../http/types.js";
import { resolveServerConfig } from "../server/config.js";
import type { ServeLogging, ServeOptions } from "../server/serve.js";
import { requireAppFile } from "./app-file.js";
import { CliError } from "./cli-error.js";
import { LIFECYCLE_OPTIONS, lifecycleFlags } from "./lifecycle-options.js";
import { parseWithUsage, SERVER_OPTIONS, serverFlags } from "./server-options.js";
import { SERVE_USAGE, serveHelp } from "./serve-usage.js";
import { frankVersion } from "./version.js";

const SERVE_OPTIONS = {
  ...SERVER_OPTIONS,
  ...LIFECYCLE_OPTIONS,
  quiet: { type: "boolean", short: "q" },
  require: { type: "string", short: "r", multiple: true },
  tsx: { type: "boolean" },
  reload: { type: "boolean" },
  "no-reload": { type: "boolean" },
  version: { type: "boolean" },
} as const;

/**
 * `frank [serve] [FILE] [options]`. Resolves the environment first and exports it as APP_ENV,
 * so the app loads in the environment the launcher will report; then loads FILE and serves it.
 * Resolves to an exit status for a command that is done (help, version), or to undefined
 * once the server listens: from then on the process lives until SIGINT or SIGTERM.
 * Fails with CliError or ConfigError, which main prints as one line.
 */
export async function run(args: string[]): Promise<number | undefined> {
  const { values, positionals } = parseWithUsage(SERVE_USAGE, () =>
    parseArgs({ args, options: SERVE_OPTIONS, allowPositionals: true, strict: true }),
  );
  const flags = { ...serverFlags(values), ...lifecycleFlags(values) };
  if (values.help) {
    console.log(serveHelp(flags, positionals[0]));
    return 0;
  }
  if (values.version) {
    console.log(frankVersion());
    return 0;
  }
  if (positionals.length > 1) {
    throw new CliError(`one app FILE at a time, got ${positionals.join(" ")}`, { exitCode: 2, usage: SERVE_USAGE });
  }

  // Before anything of the app runs: bad PORT or HOST fail here, and the app sees our APP_ENV.
  // The variables as the user set them are kept, so every later resolution names the true sources.
  const userEnv = { ...process.env };
  const early = resolveServerConfig({ flags, env: userEnv });
  process.env.APP_ENV = early.environment.value;
  const file = requireAppFile(positionals[0]);

  const [{ default: cluster }, reloading] = await Promise.all([import("node:cluster"), import("./reload.js")]);
  const reload = values.reload || (!values["no-reload"] && early.environment.value === "development");
  if (reload && !process.env[reloading.RELOAD_CHILD] && cluster.isPrimary) {
    return reloading.superviseWithReload(file, process.argv.slice(2), userEnv);
  }

  const [{ loadApp, requireModule }, { serve }, { accessLog, errorLog }, { clientAddress }, { watchSet }] =
    await Promise.all([
      import("./load-app.js"),
      import("../server/serve.js"),
      import("../middleware/access-log.js"),
      import("../server/node-request.js"),
      import("./module-graph.js"),
    ]);
  // frank's access log (with the client's socket address) and error log, in the resolved format.
  const logging = (format: "dev" | "json"): ServeLogging => ({
    accessLog: accessLog({ format, remoteAddress: clientAddress }),
    logError: errorLog({ format }),
  });
  const options: ServeOptions = { ...flags, quiet: values.quiet, processEnv: userEnv, logging };
  const reloadChild = process.env[reloading.RELOAD_CHILD];
  let app: Servable;
  try {
    for (const specifier of values.require ?? []) await requireModule(specifier);
    app = (await loadApp(file, { tsx: values.tsx })).app;
  } catch (error) {
    // Under --reload, once the app has served, an edit that breaks it shows the development error
    // page in the browser until the next change, instead of a refused connection.
    if (!(reloadChild && process.env[reloading.RELOAD_SERVED_BEFORE] && error instanceof CliError)) throw error;
    console.error(`frank: ${error.message}`);
    reloading.reportToSupervisor("failed", await watchSet(file));
    await serve(await loadErrorPage(error, file), options);
    return undefined;
  }
  // The supervisor watches the whole module graph from before the banner shows: an edit saved as
  // soon as it does is not lost while the supervisor swaps its watches.
  if (reloadChild) reloading.reportToSupervisor("loaded", await watchSet(file, app));
  await serve(app, options);
  if (reloadChild) reloading.reportToSupervisor("ready");
  return undefined;
}

/** What the browser gets while the app cannot load: the development error page, for every request. */
async function loadErrorPage(error: Error, file: string): Promise<Servable> {
  const { renderErrorPage } = await import("../middleware/show-exceptions.js");
  return { fetch: (req: Request) => renderErrorPage(error, req, { appRoot: dirname(file) }) };
}
