import { because } from "../server/banner.js";
import { resolveServerConfig, type ServerConfig, type Sourced } from "../server/config.js";
import { DEFAULT_APP_FILES, findAppFile } from "./app-file.js";
import { lifecycleHelp } from "./lifecycle-options.js";

type Flags = { env?: string; port?: string; host?: string; workers?: string };

/** The short usage printed with a command-line error. */
export const SERVE_USAGE =
  "Usage: frank [serve] [FILE] [-p PORT] [-o HOST] [-E ENV] [-w N] [-q] [-r MODULE] [--tsx] [--shutdown-delay S] [--drain-timeout S] [--reload|--no-reload]\n" +
  "       frank config [FILE] [--json] | frank routes | frank openapi | frank build | frank k8s | frank doctor | frank --help";

function currentFile(file: string | undefined): string {
  try {
    return findAppFile(file) ?? "none found here";
  } catch (error) {
    return (error as Error).message;
  }
}

/** `frank --help`: every default as it would be computed right now, with the reason. */
export function serveHelp(flags: Flags = {}, file?: string): string {
  let config: ServerConfig | undefined;
  let problem = "";
  try {
    config = resolveServerConfig({ flags });
  } catch (error) {
    problem = `cannot be resolved: ${(error as Error).message}`;
  }
  const show = (sourced: Sourced<unknown> | undefined) =>
    sourced ? `${sourced.value} ${because(sourced.source)}` : problem;
  const reloadDefault =
    config?.environment.value === "development"
      ? "on: environment is development"
      : "off: environment is not development";
  return [
    "Usage: frank [serve] [FILE] [options]",
    "",
    "Serves FILE: a frank App, any object with fetch(request) such as a Hono app, or a function",
    "(request) => Response, exported as default or as `app`. TypeScript files load directly:",
    "the app's own .ts files are bundled in memory at start; packages load as Node loads them.",
    `FILE defaults to the first of ${DEFAULT_APP_FILES.join(", ")} (now: ${currentFile(file)}).`,
    "",
    "Options (with the value each has right now, and why):",
    `  -p, --port PORT       port (--port > PORT > app setting port > 4567); now ${show(config?.port)}`,
    `  -o, --host HOST       address to listen on (--host > HOST > app setting bind > all interfaces in a container`,
    `                        > localhost in development > all interfaces); now ${show(config?.host)}`,
    `  -E, --env ENV         environment (--env > APP_ENV > RACK_ENV > NODE_ENV > development);`,
    `                        now ${show(config?.environment)}`,
    `  -w, --workers N       processes sharing the port, 0 = one per CPU core; now ${show(config?.workers)}`,
    ...lifecycleHelp(config?.lifecycle, problem),
    "  -q, --quiet           no startup banner (warnings are still printed)",
    "  -r, --require MODULE  load MODULE before the app (repeatable)",
    "      --tsx             load TypeScript through tsx's loader hooks instead of bundling the app's",
    "                        own files at start (slower start; for import() of .ts files by computed paths)",
    `      --reload          restart when a file next to FILE changes; now ${reloadDefault}`,
    "      --no-reload       never restart on changes",
    "  -h, --help            this help",
    "      --version         print frank's version",
    "",
    "Commands: frank serve (the default), frank config [FILE] [--json], frank routes, frank openapi, frank build, frank k8s,",
    "          frank doctor",
  ].join("\n");
}
