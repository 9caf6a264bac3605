import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../server/config-error.js";
import { CliError } from "./cli-error.js";
import { frankVersion } from "./version.js";

interface Command {
  run(args: string[]): Promise<number | undefined>;
}

/** Commands other than serve and config live in their own modules, loaded only when asked for. */
const COMMANDS = ["serve", "config", "k8s", "doctor", "routes", "openapi", "build"] as const;
type CommandName = (typeof COMMANDS)[number];

async function loadCommand(name: CommandName): Promise<Command> {
  if (name === "serve") return import("./serve-command.js");
  if (name === "config") return import("./config-command.js");
  const path = `./${name}-command.js`;
  try {
    return (await import(path)) as Command;
  } catch (error) {
    const missing =
      (error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" &&
      String((error as Error).message).includes(`${name}-command`);
    if (missing) throw new CliError(`the ${name} command is not part of this build of frank`);
    throw error;
  }
}

function report(error: unknown): number {
  if (error instanceof CliError || error instanceof ConfigError) {
    console.error(`frank: ${error.message}`);
    if (error instanceof CliError && error.usage) console.error(error.usage);
    return error instanceof CliError ? error.exitCode : 1;
  }
  // Anything else is a bug in frank or in the app: keep the stack, it is needed.
  console.error("frank: unexpected error:", error);
  return 1;
}

/**
 * `frank [command] [args]`: serve is the default, so `frank app.ts -p 8080` serves.
 * Resolves to the exit status, or undefined while a server keeps the process alive.
 */
export async function main(argv: string[]): Promise<number | undefined> {
  const [first, ...rest] = argv;
  if (first === "--version") {
    console.log(frankVersion());
    return 0;
  }
  if (first === "help") {
    return main(["serve", "--help"]);
  }
  const named = (COMMANDS as readonly string[]).includes(first ?? "");
  const name = (named ? first : "serve") as CommandName;
  const args = named ? rest : argv;
  try {
    const command = await loadCommand(name);
    return await command.run(args);
  } catch (error) {
    return report(error);
  }
}

/** Runs main and sets the exit status; the process ends by itself once nothing is listening. */
export function runMain(argv = process.argv.slice(2)): void {
  main(argv).then((code) => {
    if (code !== undefined) process.exitCode = code;
  });
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) runMain();
