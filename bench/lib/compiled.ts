/**
 * The "plain node" side of the startup comparison: bench targets transpiled to
 * JavaScript under .bench/compiled, importing frank from dist/ as a deployed app would.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { ROOT } from "./targets.js";

export const COMPILED_DIR = join(ROOT, ".bench/compiled");
const DIST_INDEX = join(ROOT, "dist/index.js");

function transpile(name: string): void {
  const source = readFileSync(join(ROOT, "bench/targets", `${name}.ts`), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  writeFileSync(
    join(COMPILED_DIR, `${name}.js`),
    outputText.replaceAll("../../src/index.js", pathToFileURL(DIST_INDEX).href),
  );
}

/** The modules every target imports beside its framework (the routes' data, the order schema). */
const SHARED_MODULES = ["shared", "order"];

function transpileSharedModules(): void {
  for (const name of SHARED_MODULES) transpile(name);
}

/**
 * The frank target as a user's app.ts: still TypeScript, but importing frank from dist/ the
 * way `import { App } from "frank"` does from node_modules, so the launcher transpiles only
 * the app, not frank's own sources. Returns its path, or a reason why it cannot be built.
 */
export function frankAppImportingDist(): { file: string } | { missing: string } {
  if (!existsSync(DIST_INDEX)) return { missing: "dist/index.js is missing (npm run build)" };
  mkdirSync(COMPILED_DIR, { recursive: true });
  transpileSharedModules();
  const source = readFileSync(join(ROOT, "bench/targets/frank.ts"), "utf8");
  const file = join(COMPILED_DIR, "frank-app.ts");
  writeFileSync(file, source.replaceAll("../../src/index.js", pathToFileURL(DIST_INDEX).href));
  return { file };
}

/**
 * The same app.ts in a folder of its own, built with `frank build` as frank k8s's Dockerfile
 * does at image build time (.frank/ beside it), so the launcher starts it without esbuild.
 */
export function frankAppBuilt(): { file: string } | { missing: string } {
  const app = frankAppImportingDist();
  if ("missing" in app) return app;
  const folder = join(ROOT, ".bench/built");
  mkdirSync(folder, { recursive: true });
  const file = join(folder, "frank-app.ts");
  let source = readFileSync(app.file, "utf8");
  for (const name of SHARED_MODULES) source = source.replaceAll(`"./${name}.js"`, `"../compiled/${name}.js"`);
  writeFileSync(file, source);
  const build = spawnSync(process.execPath, [join(ROOT, "bin/frank.js"), "build", file], { encoding: "utf8" });
  if (build.status !== 0) return { missing: `frank build failed: ${build.stderr.trim()}` };
  return { file };
}

/** Writes the compiled node:http target; returns its path. */
export function compileNodeHttp(): string {
  mkdirSync(COMPILED_DIR, { recursive: true });
  transpileSharedModules();
  transpile("node-http");
  return join(COMPILED_DIR, "node-http.js");
}

/**
 * Writes the compiled frank app and an entry that serves it with `serve()` from dist;
 * returns the entry's path, or a reason why it cannot be built.
 */
export function compileFrank(): { entry: string } | { missing: string } {
  if (!existsSync(DIST_INDEX)) return { missing: "dist/index.js is missing (npm run build)" };
  if (!/\bserve\b/.test(readFileSync(DIST_INDEX, "utf8"))) return { missing: "dist/index.js does not export serve()" };
  mkdirSync(COMPILED_DIR, { recursive: true });
  transpileSharedModules();
  transpile("frank");
  const entry = join(COMPILED_DIR, "frank-serve.js");
  writeFileSync(
    entry,
    [
      `import { serve } from ${JSON.stringify(pathToFileURL(DIST_INDEX).href)};`,
      `import app from "./frank.js";`,
      `serve(app, { port: Number(process.env.PORT), host: "127.0.0.1", env: "production", quiet: true });`,
      "",
    ].join("\n"),
  );
  return { entry };
}
