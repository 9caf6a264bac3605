import { createServer } from "node:http";
import { toHandler, type Handler, type Middleware, type Servable } from "../http/types.js";
import { bannerLines, listeningUrls, warningLines } from "./banner.js";
import { resolveServerConfig, type ServerConfig } from "./config.js";
import { withHealthChecks } from "./health.js";
import { limitsOf, type LifecycleConfig } from "./lifecycle-config.js";
import { explainClientErrors, limitRequestBody, type RouteBodyLimit, serverOptions } from "./limits.js";
import { LISTEN_HINT_VARIABLE } from "../http/listen-hint.js";
import {
  type LifecycleHooks,
  maxBodySizeFor,
  runStartHooks,
  runStopHooks,
  usesWebSockets,
} from "../http/lifecycle-hooks.js";
import { listenAll, type BoundAddress } from "./listen.js";
import { clusterRender, gatherMetricsForWorkers } from "./cluster-metrics.js";
import { ServerMetrics } from "./metrics.js";
import { withMetricsEndpoint } from "./metrics-endpoint.js";
import { toNodeListener, type NodeListenerOptions } from "./node-adapter.js";
import { observeRequests } from "./request-observer.js";
import { GracefulShutdown } from "./shutdown.js";
import { exitOnSignals } from "./signals.js";
import { answerUpgrades } from "./upgrades.js";
import { requireWs } from "./websocket.js";
import { ConfigError } from "./config-error.js";
import { isWorkerProcess, onShutdownFromPrimary, reportToPrimary, startWorkers } from "./workers.js";

/** The access log and error log in one format; server/ cannot import middleware/, so the launcher passes frank's. */
export interface ServeLogging {
  /** Wraps the app and writes one line per request. */
  accessLog: Middleware;
  /** Logs an error the handler threw, with its stack. */
  logError: (error: unknown, request: Request) => void;
}

export interface ServeOptions extends NodeListenerOptions {
  port?: number | string;
  host?: string;
  env?: string;
  /** No banner (warnings are still printed). Default: quiet only in the test environment. */
  quiet?: boolean;
  /** Processes to run (node:cluster); 0 means one per CPU core. Default 1: this process. */
  workers?: number | string;
  /** Seconds to keep serving after SIGTERM with readiness off (default 5 in Kubernetes, else 0). */
  shutdownDelay?: number | string;
  /** Seconds in-flight requests may still take once the listener is closed (default 20). */
  drainTimeout?: number | string;
  /** Seconds an idle keep-alive connection stays open (default 65). */
  keepAliveTimeout?: number | string;
  /** Largest request body in bytes, or with a unit ("10mb"); larger ones get 413. Default 1 MiB. */
  maxBodySize?: number | string;
  /** "dev", "json" or "off"; default by environment (off in test). Written only when `logging` is given. */
  accessLog?: string;
  /** Where Prometheus scrapes (default /metrics), or "off". */
  metrics?: string;
  /** Makes the access and error logs for a format (the launcher passes frank's middleware). */
  logging?: (format: "dev" | "json") => ServeLogging;
  /** Run the shutdown sequence on SIGINT/SIGTERM, then exit. Default true. */
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
  /** Runs the shutdown sequence (readiness off, delay, drain, onStop) and resolves when it is done. */
  close(): Promise<void>;
  /**
   * This process's shutdown sequence: its `phase` (and "phase" events), requests in flight and
   * open WebSockets, for metrics. Undefined in the primary of `workers`, where each worker has its own.
   */
  shutdown: GracefulShutdown | undefined;
}

/** Sinatra's settings (port, bind, drainTimeout...), read from any app that has them (server/ never imports app/). */
function settingsOf(app: Servable): Record<string, unknown> | undefined {
  const settings = (app as { settings?: unknown }).settings;
  return settings !== null && typeof settings === "object" ? (settings as Record<string, unknown>) : undefined;
}

/**
 * Builds an app that can be built ahead (a frank App's `compile()`, duck-typed) before anything
 * listens: a configuration error (production without SESSION_SECRET, a middleware that throws)
 * stops the start with one line, instead of a server that is ready and answers 500 to everyone.
 */
function compileApp(app: Servable): void {
  const compile = (app as { compile?: unknown }).compile;
  if (typeof app === "function" || typeof compile !== "function") return;
  try {
    compile.call(app);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`the app cannot start: ${message.split("\n")[0]}`);
  }
}

/** A frank App's onStart/onStop hooks (Sinatra's lifecycle events), found by their symbols; nothing for other apps. */
function hooksOf(app: Servable): { start(): Promise<unknown>; stop(): Promise<unknown> } {
  const hooks = app as Partial<LifecycleHooks>;
  return {
    start: async () => (typeof hooks[runStartHooks] === "function" ? hooks[runStartHooks]() : undefined),
    stop: async () => (typeof hooks[runStopHooks] === "function" ? hooks[runStopHooks]() : undefined),
  };
}

/** A frank App's per-route body limits (its `maxBodySize` route option), duck-typed. */
function routeBodyLimitOf(app: Servable): RouteBodyLimit | undefined {
  const limits = app as { [maxBodySizeFor]?: RouteBodyLimit };
  const limitFor = limits[maxBodySizeFor];
  return typeof limitFor === "function" ? (req) => limitFor.call(app, req) : undefined;
}

/**
 * An app that says it has WebSocket routes (a frank App's `usesWebSockets` symbol) gets the `ws`
 * package loaded before frank listens, so a missing package or a wrong WebSocket setting stops
 * the start with one line instead of failing the first upgrade.
 */
function prepareWebSockets(app: Servable): void {
  try {
    if ((app as { [usesWebSockets]?: boolean })[usesWebSockets] === true) requireWs();
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function localUrlFor(bound: BoundAddress): string {
  const address =
    bound.address === "::"
      ? "[::1]"
      : bound.address === "0.0.0.0"
        ? "127.0.0.1"
        : bound.family === "IPv6"
          ? `[${bound.address}]`
          : bound.address;
  return `http://${address}:${bound.port}/`;
}

/**
 * The handler as served: probes and /metrics answered first (so they are neither in the
 * access log, unless asked, nor in the metrics and traces), then the request observer (metrics
 * and the `frank.request` channel), then the access log, then the body size limit, then the app.
 */
function servedHandler(
  app: Servable,
  lifecycle: LifecycleConfig,
  shutdown: GracefulShutdown,
  logging: ServeLogging | undefined,
  metrics: ServerMetrics | undefined,
  render: (() => Promise<string>) | undefined,
): Handler {
  const limited = limitRequestBody(toHandler(app), lifecycle.maxBodyBytes.value, routeBodyLimitOf(app));
  const metricsPath = lifecycle.metricsPath.value;
  const serverPaths = (handler: Handler) => {
    const withMetrics =
      render === undefined || metricsPath === false ? handler : withMetricsEndpoint(handler, metricsPath, render);
    return withHealthChecks(withMetrics, {
      livenessPath: lifecycle.livenessPath.value,
      readinessPath: lifecycle.readinessPath.value,
      isReady: () => shutdown.ready,
    });
  };
  const observed = (handler: Handler) => observeRequests(handler, metrics?.http);
  const accessLog = lifecycle.accessLog.value === "off" ? undefined : logging?.accessLog;
  if (!accessLog) return serverPaths(observed(limited));
  return lifecycle.logProbes.value
    ? accessLog(serverPaths(observed(limited)))
    : serverPaths(observed(accessLog(limited)));
}

/**
 * Starts any handler, a frank App, or any `{ fetch }` object (Sinatra's `run!`): resolves
 * environment, host, port, workers and the lifecycle settings exactly as `frank serve` does,
 * exports APP_ENV, compiles the app (`compile()`, when it has one), listens, runs the app's
 * onStart hooks, prints the banner and warnings, and
 * on SIGINT/SIGTERM runs the shutdown sequence (docs/architecture.md, "Lifecycle in production") and exits.
 * Throws ConfigError with a one-line explanation when the app cannot compile or it cannot listen.
 */
export async function serve(app: Servable, options: ServeOptions = {}): Promise<RunningServer> {
  const config = resolveServerConfig({
    flags: {
      env: options.env,
      port: options.port,
      host: options.host,
      workers: options.workers,
      shutdownDelay: options.shutdownDelay,
      drainTimeout: options.drainTimeout,
      keepAliveTimeout: options.keepAliveTimeout,
      maxBodySize: options.maxBodySize,
      accessLog: options.accessLog,
      metrics: options.metrics,
    },
    appSettings: settingsOf(app),
    env: options.processEnv,
  });
  process.env.APP_ENV = config.environment.value;
  // Tells the app how it is bound (host authorization applies only to loopback in development).
  process.env[LISTEN_HINT_VARIABLE] = config.host.kind;
  compileApp(app);
  const log = options.log ?? ((line: string) => console.log(line));
  const quiet = options.quiet ?? config.environment.value === "test";
  const worker = isWorkerProcess();
  const { lifecycle } = config;

  let addresses: BoundAddress[];
  let close: () => Promise<void>;
  let sequence: GracefulShutdown | undefined;
  if (config.workers.value > 1 && !worker) {
    if (lifecycle.metricsPath.value !== false) gatherMetricsForWorkers();
    const pool = await startWorkers(config.workers.value, { APP_ENV: config.environment.value });
    addresses = pool.addresses;
    // The primary only waits; each worker runs the sequence. Past its longest run, stragglers are killed.
    close = () => pool.shutdown(lifecycle.shutdownDelayMs.value + lifecycle.drainTimeoutMs.value + 5_000);
  } else {
    const hooks = hooksOf(app);
    const shutdown = (sequence = new GracefulShutdown({
      shutdownDelayMs: lifecycle.shutdownDelayMs.value,
      drainTimeoutMs: lifecycle.drainTimeoutMs.value,
      // The steps are news only when someone watches; requests cut off are always reported.
      log: quiet ? () => {} : (line) => console.error(line),
      onStopped: () => hooks.stop(),
    }));
    const logFormat =
      lifecycle.accessLog.value !== "off"
        ? lifecycle.accessLog.value
        : config.environment.value === "development"
          ? "dev"
          : "json";
    const logging = options.logging?.(logFormat);
    prepareWebSockets(app);
    const metrics =
      lifecycle.metricsPath.value === false
        ? undefined
        : new ServerMetrics(
            () => shutdown.phase,
            () => shutdown.openUpgrades,
          );
    shutdown.on("phase", (phase) => {
      if (phase === "stopped") metrics?.process.stop();
    });
    // A worker answers with every worker's numbers, gathered through the primary (cluster-metrics.ts).
    const render = metrics && (worker ? clusterRender(() => metrics.render()) : () => metrics.render());
    const listener = toNodeListener(servedHandler(app, lifecycle, shutdown, logging, metrics, render), {
      ...options,
      onError: options.onError ?? logging?.logError,
      drainSignal: shutdown.drainSignal,
      trackUpgrade: (socket, goAway) => shutdown.trackUpgrade(socket, goAway),
    });
    const limits = limitsOf(lifecycle);
    try {
      const listening = await listenAll(
        () => {
          const server = createServer(serverOptions(limits), listener);
          explainClientErrors(server, limits);
          answerUpgrades(server, listener);
          shutdown.track(server);
          return server;
        },
        config.host.bindAddresses,
        config.port.value,
      );
      addresses = listening.addresses;
      await hooks.start();
    } catch (error) {
      if (worker) reportToPrimary({ frank: "failed", message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    close = () => shutdown.shutdown().then(() => undefined);
    if (worker)
      onShutdownFromPrimary(() =>
        close().then(
          () => process.exit(0),
          () => process.exit(1),
        ),
      );
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
    shutdown: sequence,
    close: () => {
      removeSignalHandlers();
      return close();
    },
  };
}
