/**
 * A failure the user can fix, reported as one line "frank: <message>" without a stack.
 * Exit status 1, or 2 for a command line that could not be understood (with the usage).
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly usage?: string;

  constructor(message: string, options: { exitCode?: number; usage?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.exitCode = options.exitCode ?? 1;
    this.usage = options.usage;
  }
}
