// What help and the early checks need is imported here; the server, the logs and the app loader
// only once a server is really started, so `frank --help` answers as fast as Node starts.
import { parseArgs } from "node:util";
import { resolveServerConfig } from "../server/config.js";
import type { ServeLogging } from "../server/serve.js";
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

  const [{ default: cluster }, { RELOAD_CHILD, reportReady, superviseWithReload }] = await Promise.all([
    import("node:cluster"),
    import("./reload.js"),
  ]);
  const reload = values.reload || (!values["no-reload"] && early.environment.value === "development");
  if (reload && !process.env[RELOAD_CHILD] && cluster.isPrimary) {
    return superviseWithReload(file, process.argv.slice(2), userEnv);
  }

  const [{ loadApp, requireModule }, { serve }, { accessLog, errorLog }, { clientAddress }] = await Promise.all([
    import("./load-app.js"),
    import("../server/serve.js"),
    import("../middleware/access-log.js"),
    import("../server/node-request.js"),
  ]);
  // frank's access log (with the client's socket address) and error log, in the resolved format.
  const logging = (format: "dev" | "json"): ServeLogging => ({
    accessLog: accessLog({ format, remoteAddress: clientAddress }),
    logError: errorLog({ format }),
  });
  for (const specifier of values.require ?? []) await requireModule(specifier);
  const { app } = await loadApp(file, { tsx: values.tsx });
  await serve(app, { ...flags, quiet: values.quiet, processEnv: userEnv, logging });
  reportReady();
  return undefined;
}
