/**
 * Sinatra's setting names. A Sinatra app moved to frank keeps its `set :public_folder, …`
 * lines working: a name frank has under another spelling is an alias, and a name frank has no
 * counterpart for is an error that says what to do instead — never a setting silently ignored.
 */

/** Sinatra's name (snake_case, as `set :name` writes it) -> frank's. */
const ALIASES: Record<string, string> = {
  absolute_redirects: "absoluteRedirects",
  bind: "bind",
  default_content_type: "defaultContentType",
  dump_errors: "dumpErrors",
  environment: "environment",
  host_authorization: "hostAuthorization",
  logging: "logging",
  method_override: "methodOverride",
  methodoverride: "methodOverride",
  port: "port",
  prefixed_redirects: "prefixedRedirects",
  public_dir: "publicFolder",
  public_folder: "publicFolder",
  root: "root",
  session_secret: "sessionSecret",
  sessions: "sessions",
  show_exceptions: "showExceptions",
  static: "static",
  static_cache_control: "staticCacheControl",
  static_headers: "staticHeaders",
  strict_paths: "strictPaths",
  views: "views",
};

/** Sinatra's settings frank has no counterpart for, with what to do instead. */
const UNSUPPORTED: Record<string, string> = {
  add_charset: "frank adds charset=utf-8 to every text type itself",
  app_file: 'frank sets settings.root to the app file\'s folder; set "root" to choose another',
  default_encoding: "frank speaks UTF-8 only",
  empty_path_info: "a request path is never empty in frank",
  handler_name: "frank serves with Node's http module",
  inline_templates: "define each template with app.template(name, source) (or renderString), not after __END__",
  lock: "Node runs one request at a time per process; there is nothing to lock",
  mustermann_opts: "frank's patterns have no options",
  protection: 'use the protection middleware: app.use(protection()) from "frank/middleware"',
  quiet: "use frank --quiet",
  raise_errors: "error handlers and the development error page answer errors; tests read the response",
  reload_templates: "templates are re-read in development and cached elsewhere",
  run: "the frank command (or serve(app)) starts the server",
  running_server: "serve(app) returns the running server",
  server: "frank serves with Node's http module",
  server_settings: "use the frank command's options (frank --help)",
  session_store: 'frank\'s sessions are encrypted cookies; set "sessions" to their options',
  threaded: "Node runs one request at a time per process; use frank --workers for more processes",
  traps: "frank handles SIGINT and SIGTERM itself (graceful shutdown)",
  use_code: "throw an HttpError (or an error with a numeric status) to choose the status",
  x_cascade: "frank always sends X-Cascade: pass when no route matched",
};

/**
 * The frank name for a setting name: Sinatra's names become frank's; a Sinatra name frank does not
 * support throws an error that says why and what to use. Other names are the app's own.
 */
export function settingName(name: string): string {
  const alias = ALIASES[name];
  if (alias !== undefined) return alias;
  const instead = UNSUPPORTED[name];
  if (instead !== undefined) throw new TypeError(`set("${name}"): frank has no "${name}" setting: ${instead}`);
  return name;
}

/** Converts a value given under a Sinatra name to frank's shape, where the shapes differ. */
export function settingValue(sinatraName: string, value: unknown): unknown {
  if (sinatraName === "host_authorization" && value && typeof value === "object" && "permitted_hosts" in value) {
    return { allowedHosts: (value as { permitted_hosts: unknown }).permitted_hosts };
  }
  if (sinatraName === "static_cache_control" && Array.isArray(value)) {
    // Sinatra's [:public, max_age: 300] is frank's "public, max-age=300"
    return value
      .flatMap((part) =>
        typeof part === "object" && part !== null
          ? Object.entries(part).map(([key, v]) => `${key.replace(/_/g, "-")}=${v}`)
          : [String(part).replace(/_/g, "-")],
      )
      .join(", ");
  }
  return value;
}
