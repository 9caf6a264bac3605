import { createServer, type Server } from "node:http";
import { toHandler, type Servable } from "../http/types.js";
import { bannerLines, listeningUrls, warningLines } from "./banner.js";
import { resolveServerConfig, type ServerConfig } from "./config.js";
import { listenAll, type BoundAddress } from "./listen.js";
import { toNodeListener, type NodeListenerOptions } from "./node-adapter.js";
import { exitOnSignals } from "./signals.js";
import { isWorkerProcess, reportToPrimary, startWorkers } from "./workers.js";

export interface ServeOptions extends NodeListenerOptions {
  port?: number | string;
  host?: string;
  env?: string;
  /** No banner (warnings are still printed). Default: quiet only in the test environment. */
  quiet?: boolean;
  /** Processes to run (node:cluster); 0 means one per CPU core. Default 1: this process. */
  workers?: number | string;
  /** Install SIGINT/SIGTERM handlers that close the server and exit 0. Default true. */
  handleSignals?: boolean;
  /**
   * The environment variables to resolve from. Default process.env; the launcher passes the
   * copy it took before exporting APP_ENV, so sources and warnings describe what the user set.
   */
  processEnv?: NodeJS.ProcessEnv;
  /** Where the banner goes. Default console.log; warnings always go to console.error. */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** What the banner lists: every non-loopback address when bound to all interfaces. */
  urls: string[];
  /** A URL on this machine that reaches the server: loopback when it listens there (use this in tests). */
  localUrl: string;
  addresses: BoundAddress[];
  config: ServerConfig;
  close(): Promise<void>;
}

/** Sinatra's settings.port / settings.bind, read from any app that has settings (server/ never imports app/). */
function settingsOf(app: Servable): { port?: unknown; bind?: unknown } | undefined {
  const settings = (app as { settings?: unknown }).settings;
  if (settings === null || typeof settings !== "object") return undefined;
  const { port, bind } = settings as { port?: unknown; bind?: unknown };
  return { port, bind };
}

function localUrlFor(bound: BoundAddress): string {
  const address = bound.address === "::" ? "[::1]" : bound.address === "0.0.0.0" ? "127.0.0.1" : bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return `http://${address}:${bound.port}/`;
}

function closeServers(servers: Server[]): Promise<void> {
  return Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    ),
  ).then(() => undefined);
}

/**
 * Starts any handler, a frank App, or any `{ fetch }` object (Sinatra's `run!`): resolves
 * environment, host, port and workers exactly as `frank serve` does, exports APP_ENV,
 * listens, prints the banner and warnings, and closes cleanly on SIGINT/SIGTERM.
 * Throws ConfigError with a one-line explanation when it cannot listen.
 */
export async function serve(app: Servable, options: ServeOptions = {}): Promise<RunningServer> {
  const config = resolveServerConfig({
    flags: { env: options.env, port: options.port, host: options.host, workers: options.workers },
    appSettings: settingsOf(app),
    env: options.processEnv,
  });
  process.env.APP_ENV = config.environment.value;
  const log = options.log ?? ((line: string) => console.log(line));
  const quiet = options.quiet ?? config.environment.value === "test";
  const worker = isWorkerProcess();

  let addresses: BoundAddress[];
  let close: () => Promise<void>;
  if (config.workers.value > 1 && !worker) {
    const pool = await startWorkers(config.workers.value, { APP_ENV: config.environment.value });
    addresses = pool.addresses;
    close = pool.close;
  } else {
    const listener = toNodeListener(toHandler(app), options);
    try {
      const listening = await listenAll(() => createServer(listener), config.host.bindAddresses, config.port.value);
      addresses = listening.addresses;
      close = () => closeServers(listening.servers);
    } catch (error) {
      if (worker) reportToPrimary({ frank: "failed", message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  // Before anything is printed: whoever waits for the banner may signal right after it.
  let removeSignalHandlers = () => {};
  if (options.handleSignals ?? true) removeSignalHandlers = exitOnSignals(close, worker || quiet ? () => {} : log);

  if (worker) {
    reportToPrimary({ frank: "listening", addresses });
  } else {
    if (!quiet) for (const line of bannerLines(config, listeningUrls(addresses))) log(line);
    for (const line of warningLines(config)) console.error(line);
  }

  return {
    urls: listeningUrls(addresses),
    localUrl: localUrlFor(addresses[0]),
    addresses,
    config,
    close: () => {
      removeSignalHandlers();
      return close();
    },
  };
}
