/**
 * The app's environment, read the way the launcher resolves it (DESIGN.md §3): APP_ENV, then
 * RACK_ENV, then NODE_ENV, then "development". The launcher exports its result as APP_ENV before
 * the app loads, so both always agree.
 */
export function environmentFromProcess(env: NodeJS.ProcessEnv = process.env): string {
  return env.APP_ENV || env.RACK_ENV || env.NODE_ENV || "development";
}
