// `frank build [FILE]`: the app's bundle made ahead of time (at image build time), so that
// `frank FILE` starts from it without esbuild and without bundling.
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { BundleError, bundle, loadEsbuild, needsBundling } from "./bundle-app.js";
import { CliError } from "./cli-error.js";
import { requireAppFile } from "./app-file.js";
import { prebuiltPaths, writePrebuilt } from "./prebuilt-app.js";

export const BUILD_USAGE = `Usage: frank build [FILE]

Bundles the TypeScript app in FILE (default: as frank serve finds it) and the TypeScript files
it imports into .frank/<name>.mjs beside it. \`frank FILE\` then starts from that bundle while
every file it was built from is unchanged: no esbuild at start, so a production install needs
none. frank k8s's Dockerfile runs it in the image's build stage. JavaScript apps need no build.`;

export async function run(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new CliError((error as Error).message, { exitCode: 2, usage: BUILD_USAGE });
  }
  if (parsed.values.help) {
    console.log(BUILD_USAGE);
    return 0;
  }
  if (parsed.positionals.length > 1) {
    throw new CliError(`one app FILE at a time, got ${parsed.positionals.join(" ")}`, {
      exitCode: 2,
      usage: BUILD_USAGE,
    });
  }
  const file = requireAppFile(parsed.positionals[0]);
  const name = relative(process.cwd(), file) || file;
  if (!needsBundling(file)) {
    console.error(`frank build: ${name} is JavaScript; it starts as it is, nothing to build`);
    return 0;
  }
  const esbuild = await loadEsbuild(file);
  const { folder } = prebuiltPaths(file);
  let built: Awaited<ReturnType<typeof bundle>>;
  try {
    built = await bundle(esbuild, file, folder);
  } catch (error) {
    if (!(error instanceof BundleError)) throw error;
    const place = error.place
      ? `${relative(process.cwd(), error.place.file)}:${error.place.line}:${error.place.column}: `
      : "";
    throw new CliError(`cannot build ${name}: ${place}${error.text}`);
  }
  const written = writePrebuilt(file, built.code, built.inputs, built.externals);
  const count = built.inputs.length;
  console.error(
    `frank build: wrote ${relative(process.cwd(), written)} (${count} TypeScript file${count === 1 ? "" : "s"})`,
  );
  return 0;
}

function parse(args: string[]) {
  return parseArgs({ args, options: { help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
}
