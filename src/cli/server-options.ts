import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "./cli-error.js";

/** The options `frank serve` and `frank config` share: they resolve the same settings. */
export const SERVER_OPTIONS = {
  port: { type: "string", short: "p" },
  host: { type: "string", short: "o" },
  env: { type: "string", short: "E" },
  workers: { type: "string", short: "w" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

/** Runs a parseArgs call; an unknown option or a missing value becomes exit status 2 with the usage. */
export function parseWithUsage<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    // parseArgs appends advice about "--" that does not fit frank's usage; keep the first sentence.
    throw new CliError((error as Error).message.split(". ")[0], { exitCode: 2, usage });
  }
}

export function serverFlags(values: { port?: string; host?: string; env?: string; workers?: string }) {
  return { port: values.port, host: values.host, env: values.env, workers: values.workers };
}

type CommandLine<T extends NonNullable<ParseArgsConfig["options"]>> = {
  args: string[];
  options: T;
  allowPositionals: true;
  strict: true;
};

/** parseArgs with positionals allowed and unknown options refused (exit status 2 with the usage). */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: T,
  usage: string,
): ReturnType<typeof parseArgs<CommandLine<T>>> {
  return parseWithUsage(usage, () => parseArgs({ args, options, allowPositionals: true, strict: true }));
}
