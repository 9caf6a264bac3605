/**
 * The environment variables that name the environment, in the order they decide
 * (docs/architecture.md, "Rules the launcher keeps"): APP_ENV (Sinatra's), RACK_ENV (rackup's),
 * NODE_ENV. The launcher resolves them with a source and exports the result as APP_ENV; the app
 * and middleware read them the same way, so they agree even when no launcher ran (a test,
 * `serve()` not yet called).
 */
export const ENVIRONMENT_VARIABLES = ["APP_ENV", "RACK_ENV", "NODE_ENV"] as const;
export const DEFAULT_ENVIRONMENT = "development";

/** The first of ENVIRONMENT_VARIABLES that is set and not blank, with its trimmed value. */
export function environmentVariable(env: NodeJS.ProcessEnv = process.env): { name: string; value: string } | undefined {
  for (const name of ENVIRONMENT_VARIABLES) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

export function environmentFromProcess(env: NodeJS.ProcessEnv = process.env): string {
  return environmentVariable(env)?.value ?? DEFAULT_ENVIRONMENT;
}

/** Every environment variable that is set, when they do not all say the same; else undefined. */
export function disagreeingEnvironmentVariables(
  env: NodeJS.ProcessEnv = process.env,
): Array<{ name: string; value: string }> | undefined {
  const set = ENVIRONMENT_VARIABLES.map((name) => ({ name, value: env[name]?.trim() ?? "" })).filter(
    ({ value }) => value !== "",
  );
  return new Set(set.map(({ value }) => value)).size > 1 ? set : undefined;
}
