/**
 * What `--reload` watches: the app's own module graph (every file of the app it imports, found by
 * esbuild the way the bundle is built, packages excluded), its views folder and its `.env` files —
 * not everything in the folder, so a log file or a data file the app writes never restarts it.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export interface WatchSet {
  /** Files whose change restarts the app. */
  files: string[];
  /** Folders whose every change restarts it (views). */
  folders: string[];
}

/** The files FILE imports, itself included; on a build error, FILE and the file the error is in. */
export async function moduleGraph(file: string): Promise<string[]> {
  const esbuild = await import("esbuild");
  try {
    const result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "node",
      packages: "external",
      logLevel: "silent",
      outdir: "/nowhere", // never written
    });
    return Object.keys(result.metafile.inputs)
      .filter((input) => !input.includes("node_modules/"))
      .map((input) => resolve(input));
  } catch (caught) {
    const errors = (caught as { errors?: Array<{ location?: { file: string } | null }> }).errors ?? [];
    const places = errors.flatMap((error) => (error.location ? [resolve(error.location.file)] : []));
    return [...new Set([resolve(file), ...places])];
  } finally {
    await esbuild.stop();
  }
}

/** `.env`, `.env.development`, `.env.local`… in the app's folder. */
function envFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => name === ".env" || name.startsWith(".env."))
      .map((name) => join(folder, name));
  } catch {
    return [];
  }
}

/** The views folder of a served App (duck-typed: cli reads `settings`), if it has one. */
function viewsFolder(app: unknown, file: string): string | undefined {
  const settings = (app as { settings?: { root?: unknown; views?: unknown } } | undefined)?.settings;
  if (!settings || typeof settings !== "object") return undefined;
  const root = typeof settings.root === "string" ? settings.root : dirname(file);
  const folder = resolve(root, typeof settings.views === "string" ? settings.views : "views");
  return existsSync(folder) ? folder : undefined;
}

/** Everything a change to which should restart the app served from FILE. */
export async function watchSet(file: string, app?: unknown): Promise<WatchSet> {
  const files = [...(await moduleGraph(file)), ...envFiles(dirname(file))];
  const views = viewsFolder(app, file);
  return { files: [...new Set(files)], folders: views ? [views] : [] };
}
