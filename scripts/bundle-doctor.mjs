// Part of `npm run build`: makes dist/cli/doctor-command.js one file with the YAML reader inside.
// `frank doctor -f` is run often (in CI, by hand), and loading ~150 small modules took longer than
// checking the manifests. The doctor never loads an app, so its bundled copies of frank's modules
// share no state with one; only the two error classes that `frank`'s main tells apart with
// `instanceof` stay shared imports.
import { rmSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { build } from "esbuild";

const OUTPUT = "dist/cli/doctor-command.js";
const SHARED = /\/(cli-error|config-error)\.js$/;

await build({
  entryPoints: [OUTPUT],
  outfile: OUTPUT,
  allowOverwrite: true,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // No source map: one would carry the YAML package's sources (its own are not shipped) and cost
  // 0.5 MB in every install. The bundle is not minified and names each of frank's files (dist/…, built from src/…) in a comment,
  // so a stack trace still leads to the code.
  sourcemap: false,
  logLevel: "warning",
  // The YAML package is CommonJS under Node's conditions; its require() of Node's modules needs this.
  banner: {
    js: 'import { createRequire as frankDoctorRequire } from "node:module"; const require = frankDoctorRequire(import.meta.url);',
  },
  plugins: [
    {
      name: "shared-error-classes",
      setup(bundle) {
        bundle.onResolve({ filter: SHARED }, (args) => {
          const target = relative(dirname(OUTPUT), resolve(args.resolveDir, args.path));
          return { path: target.startsWith(".") ? target : `./${target}`, external: true };
        });
      },
    },
  ],
});

// tsc's map was for the file the bundle replaced.
rmSync(`${OUTPUT}.map`, { force: true });
