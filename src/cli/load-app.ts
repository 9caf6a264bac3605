import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Servable } from "../http/types.js";
import { BundleError, importBundled, needsBundling } from "./bundle-app.js";
import { CliError } from "./cli-error.js";
import { importOptionalPeer } from "./optional-peer.js";

export interface LoadedApp {
  file: string;
  app: Servable;
}

let typeScriptReady: Promise<void> | undefined;

/** tsx's loader hooks, registered once per process: for `--require` modules and `--tsx`. */
function enableTypeScript(): Promise<void> {
  typeScriptReady ??= importOptionalPeer<typeof import("tsx/esm/api")>(
    "tsx/esm/api",
    "Loading TypeScript through loader hooks (--tsx, or --require of a .ts module)",
  ).then(({ register }) => {
    register();
  });
  return typeScriptReady;
}

/** `-r MODULE`: a path (./setup.ts) or a package name, resolved from `cwd`, loaded before the app. */
export async function requireModule(specifier: string, cwd = process.cwd()): Promise<void> {
  let path: string;
  try {
    path = /^[./]/.test(specifier) ? resolve(cwd, specifier) : createRequire(join(cwd, "noop.js")).resolve(specifier);
  } catch {
    throw new CliError(`cannot find module ${specifier} (given with --require)`);
  }
  if (!existsSync(path)) throw new CliError(`cannot find module ${specifier} (given with --require)`);
  // A TypeScript module loads through tsx's hooks (tsx, an optional peer, must be installed then).
  if (needsBundling(path)) await enableTypeScript();
  await importExplained(path, `--require ${specifier}`);
}

/** Where a syntax error is, as "file:line:column: message", from tsx's or Node's own check. */
function locateSyntaxError(error: Error, file: string): string {
  const transform = /^(.+?):(\d+):(\d+): ERROR: (.*)$/m.exec(error.message);
  if (transform) return `${shortPath(transform[1])}:${transform[2]}:${transform[3]}: ${transform[4]}`;
  // Node does not put the place of an ES module syntax error on the error object; `node --check` prints it.
  const check = spawnSync(process.execPath, ["--check", file], { encoding: "utf8" });
  const place = /^(.+):(\d+)$/m.exec(check.stderr ?? "");
  if (check.status !== 0 && place) return `${shortPath(place[1])}:${place[2]}: ${error.message}`;
  return `${error.message} (in ${shortPath(file)} or a module it imports)`;
}

function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

/** The first place in the user's own files an error came from, for one-line reports. */
function userFrame(error: Error): string | undefined {
  for (const line of String(error.stack ?? "")
    .split("\n")
    .slice(1)) {
    const place = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (place && !place[1].includes("/node_modules/") && !place[1].startsWith("node:")) {
      return `${shortPath(place[1].replace(/^file:\/\//, ""))}:${place[2]}`;
    }
  }
  return undefined;
}

async function importExplained(path: string, what: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (caught) {
    return explainLoadError(caught, path, what);
  }
}

/** Turns an error from loading the app into a one-line CliError. */
function explainLoadError(caught: unknown, path: string, what: string): never {
  const error = caught instanceof Error ? caught : new Error(String(caught));
  if (error instanceof SyntaxError || error.name === "TransformError" || /Transform failed/.test(error.message)) {
    throw new CliError(`syntax error in ${what}: ${locateSyntaxError(error, path)}`, { cause: error });
  }
  if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") {
    throw new CliError(`${what} could not be loaded: ${error.message.split("\n")[0]}`, { cause: error });
  }
  const frame = userFrame(error);
  // A bundle holds the TypeScript files it could see; one imported by a computed path needs loader hooks.
  const hint =
    (error as NodeJS.ErrnoException).code === "ERR_UNKNOWN_FILE_EXTENSION" && /\.(c|m)?tsx?"/.test(error.message)
      ? "; a TypeScript file imported by a computed path loads with --tsx"
      : "";
  throw new CliError(
    `${what} failed while loading: ${error.name}: ${error.message.split("\n")[0]}${frame ? ` (at ${frame})` : ""}${hint}`,
    { cause: error },
  );
}

function isServable(value: unknown): value is Servable {
  if (typeof value === "function") return true;
  return value !== null && typeof value === "object" && typeof (value as { fetch?: unknown }).fetch === "function";
}

/**
 * `export default class MyApp extends App {}` (Sinatra's modular style) is served as `new MyApp()`.
 * A class is told apart from a handler function by its source: an App's `fetch` is an instance
 * field, so the class's prototype does not have it.
 */
function isClass(value: unknown): value is new () => unknown {
  return typeof value === "function" && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

function pickServable(module: Record<string, unknown>, file: string): Servable {
  for (const name of ["default", "app"]) {
    const value = module[name];
    if (isClass(value)) {
      const instance = new value();
      if (isServable(instance)) return instance;
      throw new CliError(
        `${shortPath(file)}: the ${name === "default" ? "default export" : "export app"} is a class whose instances have no fetch(request); export a frank App class or an app`,
      );
    }
    if (isServable(value)) return value;
  }
  const exported = Object.keys(module);
  throw new CliError(
    `${shortPath(file)} exports nothing frank can serve: export default (or export const app =) a frank App, ` +
      `an object with fetch(request), or a function (request) => Response` +
      (exported.length > 0 ? `; it exports ${exported.join(", ")}` : "; it exports nothing"),
  );
}

/** Points the app's root at FILE's folder (Sinatra's `settings.root`) unless the app chose one. */
function setRoot(app: Servable, root: string): void {
  const target = app as { settings?: Record<string, unknown>; set?: (name: string, value: unknown) => unknown };
  if (!target.settings || typeof target.settings !== "object" || target.settings.root !== undefined) return;
  if (typeof target.set === "function") target.set("root", root);
  else target.settings.root = root;
}

/** A TypeScript app bundled with esbuild (see bundle-app.ts), with its build errors explained in one line. */
async function importBundledExplained(file: string, what: string): Promise<Record<string, unknown> | undefined> {
  try {
    return await importBundled(file);
  } catch (caught) {
    if (caught instanceof CliError) throw caught; // esbuild is not installed: the message says what to do
    if (!(caught instanceof BundleError)) return explainLoadError(caught, file, what);
    const place = caught.place
      ? `${shortPath(caught.place.file)}:${caught.place.line}:${caught.place.column}`
      : shortPath(file);
    if (caught.kind === "syntax")
      throw new CliError(`syntax error in ${what}: ${place}: ${caught.text}`, { cause: caught });
    throw new CliError(`${what} could not be loaded: ${caught.text} (imported at ${place})`, { cause: caught });
  }
}

export interface LoadOptions {
  /** Load TypeScript through tsx's loader hooks instead of bundling it (`frank --tsx`). */
  tsx?: boolean;
}

/**
 * Loads FILE and returns what it serves. APP_ENV must already be exported. TypeScript is
 * bundled with esbuild and imported (fast to start; see bundle-app.ts); with `tsx`, or when no
 * temporary folder is writable, it loads through tsx's hooks. JavaScript is imported as it is.
 */
export async function loadApp(file: string, options: LoadOptions = {}): Promise<LoadedApp> {
  const what = shortPath(file);
  let module: Record<string, unknown> | undefined;
  if (needsBundling(file) && !options.tsx) module = await importBundledExplained(file, what);
  if (module === undefined) {
    if (needsBundling(file)) await enableTypeScript();
    module = await importExplained(file, what);
  }
  const app = pickServable(module, file);
  setRoot(app, dirname(file));
  return { file, app };
}
