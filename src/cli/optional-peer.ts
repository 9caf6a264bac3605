import { CliError } from "./cli-error.js";

/**
 * esbuild and tsx are optional peer dependencies: an app that runs compiled JavaScript, or a
 * TypeScript app built ahead with `frank build`, needs neither, so a production install stays
 * small. They are loaded on first use, from where the app installed them; when one is missing
 * the message names the package and the command that installs it.
 */
export async function importOptionalPeer<T>(specifier: string, neededFor: string): Promise<T> {
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const missing =
      (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
      String((error as Error).message).includes(`'${name}`);
    if (!missing) throw error;
    throw new MissingPeerError(name, neededFor);
  }
}

/** A package frank needs for this, which the app has not installed. */
export class MissingPeerError extends CliError {
  constructor(
    readonly packageName: string,
    neededFor: string,
  ) {
    super(
      `${neededFor} needs the package ${packageName}, which is not installed: npm install --save-dev ${packageName}`,
    );
    this.name = "MissingPeerError";
  }
}
