/**
 * How the launcher loads a TypeScript app: esbuild bundles the app's own TypeScript files into
 * one ES module, and Node imports that. Packages, plain JavaScript files and Node's builtins stay
 * outside the bundle and are imported by Node itself, by their resolved location, so they are
 * the same module instances the rest of the process sees (frank's own included).
 *
 * Why not loader hooks: on Node 20, tsx's hooks run in a loader thread that must start first
 * and then sees every import of the process, frank's and the packages' included. That made
 * `frank app.ts` take about twice as long to answer its first request as the same app
 * compiled ahead of time, and the thread stays in memory. A build takes 10-15 ms, and the
 * bundle is kept for the next start (bundle-cache.ts).
 *
 * What bundling keeps: `import.meta.url`, `.dirname` and `.filename` name each file's own place
 * (they are replaced per file), and stack traces point into the original files through an
 * inline source map. An `import()` with a template literal (`./routes/${name}.ts`) bundles every
 * file that matches. What it cannot do: `import()` a TypeScript file by a path esbuild cannot
 * see (a variable). `frank --tsx` loads through tsx's hooks instead, for such apps.
 *
 * `frank build` makes the same bundle ahead of time, next to the app (prebuilt-app.ts): a pod
 * then starts without esbuild, which is an optional peer dependency.
 */
import { statSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as Esbuild from "esbuild";
import type { Message, Plugin } from "esbuild";
import { bundleCache } from "./bundle-cache.js";
import { importOptionalPeer } from "./optional-peer.js";
import { freshPrebuilt } from "./prebuilt-app.js";
import { frankVersion } from "./version.js";

const TYPESCRIPT = /\.(c|m)?tsx?$/;

/** Files the launcher bundles; anything else (.js, .mjs) is imported as it is. */
export function needsBundling(file: string): boolean {
  return TYPESCRIPT.test(file);
}

/** Why a bundle could not be built: esbuild's first message, with its place. */
export class BundleError extends Error {
  constructor(
    readonly kind: "syntax" | "resolve",
    /** Where: an absolute path, and line and column counted from 1. */
    readonly place: { file: string; line: number; column: number } | undefined,
    readonly text: string,
  ) {
    super(text);
    this.name = "BundleError";
  }
}

// The names a file's `import.meta` properties become; each file declares its own (see below).
const META = { url: "__frank_meta_url", dirname: "__frank_meta_dirname", filename: "__frank_meta_filename" } as const;

/** `to` as an import specifier relative to the folder `from` ("./x.js", "../node_modules/p/i.js"). */
function relativeSpecifier(from: string, to: string): string {
  const path = relative(from, to).split(sep).join("/");
  return path.startsWith("../") ? path : `./${path}`;
}

/**
 * Declares the file's `import.meta` values on its first line, so line numbers stay true.
 * esbuild gives each file's top-level names their own identity in the bundle, so every file
 * sees its own values. A hashbang line is replaced (it would not be valid inside a bundle).
 * A bundle kept in the cache names the files by absolute path; a built one (`relativeTo` its
 * folder) finds them from its own place at run time, so the project can move (an image).
 */
function withOwnMeta(source: string, path: string, relativeTo: string | undefined): string {
  const declaration =
    relativeTo === undefined
      ? `var ${META.url} = ${JSON.stringify(pathToFileURL(path).href)}, ` +
        `${META.dirname} = ${JSON.stringify(dirname(path))}, ${META.filename} = ${JSON.stringify(path)};`
      : `var ${META.url} = new URL(${JSON.stringify(relativeSpecifier(relativeTo, path))}, __frank_bundle_url).href, ` +
        `${META.filename} = __frank_file_path(${META.url}), ${META.dirname} = __frank_dir_name(${META.filename});`;
  if (source.startsWith("#!")) {
    const end = source.indexOf("\n");
    return declaration + (end === -1 ? "" : source.slice(end));
  }
  return declaration + source;
}

/** The lines a built bundle starts with: what the declarations above use (never seen by `define`). */
const BUILT_BANNER = [
  'import { fileURLToPath as __frank_file_path } from "node:url";',
  'import { dirname as __frank_dir_name } from "node:path";',
  "const __frank_bundle_url = import.meta.url;",
].join("\n");

/**
 * The app's own TypeScript files are bundled; everything Node can load itself (packages,
 * JavaScript, builtins) stays an import: by absolute URL in the cache, relative to the bundle's
 * folder in a build.
 */
function bundleOnlyOwnTypeScript(relativeTo: string | undefined): Plugin {
  return {
    name: "frank-own-typescript",
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === "resolving" || args.kind === "entry-point") return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const specifier = args.path.startsWith("file:") ? fileURLToPath(args.path) : args.path;
        const found = await build.resolve(specifier, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: "resolving",
        });
        if (found.errors.length > 0) return { errors: found.errors };
        if (found.external) return { path: found.path, external: true };
        if (TYPESCRIPT.test(found.path) && !found.path.includes("/node_modules/")) return { path: found.path };
        // The same module instance the rest of the process gets.
        const path =
          relativeTo === undefined ? pathToFileURL(found.path).href : relativeSpecifier(relativeTo, found.path);
        return { path, external: true };
      });
      build.onLoad({ filter: TYPESCRIPT }, async (args) => {
        const source = await readFile(args.path, "utf8");
        return {
          contents: withOwnMeta(source, args.path, relativeTo),
          loader: args.path.endsWith("x") ? "tsx" : "ts",
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

function bundleError(message: Message): BundleError {
  const location = message.location;
  // esbuild counts columns from 0; editors and Node's own messages count from 1.
  const place = location
    ? { file: resolve(location.file), line: location.line, column: location.column + 1 }
    : undefined;
  const kind = /^Could not resolve/.test(message.text) ? "resolve" : "syntax";
  return new BundleError(kind, place, message.text);
}

/** What a build made: the module's code, the files it was built from and the files it imports. */
export interface Bundle {
  code: string;
  inputs: string[];
  externals: string[];
}

/**
 * Loads FILE's bundle and imports it: the one `frank build` made, when every file it was built
 * from is unchanged; else one kept in a private cache folder from an earlier start (see
 * bundle-cache.ts); else a new one, built with esbuild and kept for the next start. Without a
 * writable cache it is written to a temporary folder (Node applies source maps only to files)
 * and removed once loaded. Resolves to the module's exports, or undefined when nothing is writable.
 */
export async function importBundled(file: string): Promise<Record<string, unknown> | undefined> {
  const prebuilt = freshPrebuilt(file);
  if (prebuilt !== undefined) return importModule(prebuilt);

  const esbuild = await loadEsbuild(file);
  const cache = bundleCache(file, cacheVersion(esbuild));
  const cached = cache?.fresh();
  if (cached !== undefined) return importModule(cached);

  const startedAt = Date.now();
  const built = await bundle(esbuild, file);
  const kept = cache?.store(built.code, built.inputs, built.externals, startedAt);
  if (kept !== undefined) return importModule(kept);

  let folder: string;
  try {
    folder = await mkdtemp(join(tmpdir(), "frank-app-"));
  } catch {
    return undefined; // no writable temporary folder: the caller loads another way
  }
  try {
    const path = join(folder, "app.mjs");
    await writeFile(path, built.code);
    return await importModule(path);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** esbuild, an optional peer dependency, with a message that says what to do when it is missing. */
export function loadEsbuild(file: string): Promise<typeof Esbuild> {
  const name = relative(process.cwd(), file) || file;
  return importOptionalPeer<typeof Esbuild>(
    "esbuild",
    `${name} is TypeScript: starting it without a build made by \`frank build\``,
  );
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  // Stack traces then point into the app's own files, through the bundle's inline source map.
  process.setSourceMapsEnabled(true);
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}

/**
 * Everything besides the app's files that shapes a bundle: the versions of Node, esbuild and
 * frank, and this very module (a rebuilt frank may bundle differently under the same version).
 */
function cacheVersion(esbuild: typeof Esbuild): string {
  const self = statSync(fileURLToPath(import.meta.url));
  return `node ${process.versions.node}, esbuild ${esbuild.version}, frank ${frankVersion()} ${self.size} ${self.mtimeMs}`;
}

/**
 * Bundles FILE's own TypeScript with esbuild. With `relativeTo` (the folder the bundle will be
 * written to) it refers to every other file relative to that folder; else by absolute URL.
 */
export async function bundle(esbuild: typeof Esbuild, file: string, relativeTo?: string): Promise<Bundle> {
  // Never written: it only anchors the source map's paths.
  const outfile = relativeTo === undefined ? `${file}.frank-bundle.mjs` : join(relativeTo, "bundle.mjs");
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by its assignment in the try below (control-flow inference)
  let output;
  try {
    output = await esbuild.build({
      entryPoints: [file],
      outfile,
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "node",
      target: `node${process.versions.node.split(".")[0]}`,
      // Resolve packages as Node does for an import: no "module" condition, "main" only.
      conditions: ["node"],
      mainFields: ["main"],
      define: {
        "import.meta.url": META.url,
        "import.meta.dirname": META.dirname,
        "import.meta.filename": META.filename,
      },
      sourcemap: "external",
      sourcesContent: false,
      plugins: [bundleOnlyOwnTypeScript(relativeTo)],
      ...(relativeTo === undefined ? {} : { banner: { js: BUILT_BANNER } }),
      logLevel: "silent",
    });
  } catch (caught) {
    const errors = (caught as { errors?: Message[] }).errors;
    if (errors && errors.length > 0) throw bundleError(errors[0]);
    throw caught;
  } finally {
    // The build service is a child process; stop it rather than keep its memory for nothing.
    await esbuild.stop();
  }
  const code = output.outputFiles.find((f) => f.path.endsWith(".mjs"))!.text;
  const map = JSON.parse(output.outputFiles.find((f) => f.path.endsWith(".map"))!.text) as { sources: string[] };
  // Absolute file URLs, so stack traces name the original files wherever the bundle is written;
  // a build keeps them relative to its own folder, which moves with the project.
  if (relativeTo === undefined)
    map.sources = map.sources.map((source) => pathToFileURL(resolve(dirname(outfile), source)).href);
  const inputs = Object.keys(output.metafile.inputs).map((input) => resolve(input));
  const externals = new Set<string>();
  for (const { imports } of Object.values(output.metafile.inputs)) {
    for (const imported of imports) {
      if (!imported.external || isBuiltin(imported.path)) continue;
      if (imported.path.startsWith("file:")) externals.add(fileURLToPath(imported.path));
      else if (relativeTo !== undefined && imported.path.startsWith("."))
        externals.add(resolve(relativeTo, imported.path));
    }
  }
  return {
    code: `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}\n`,
    inputs,
    externals: [...externals],
  };
}
