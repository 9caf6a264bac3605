// A real nginx as the Ingress: it listens on loopback and proxies to pods' addresses.
// Everything nginx writes (config, pid, logs, temp files) lives in a temp folder of its own.
// Reconfiguring (new upstreams, as an endpoint controller would) is a real `nginx -s reload`
// by SIGHUP to the master; the new configuration is live once its generation is answered.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtemp, writeFile, readFile, rm, chmod } from "node:fs/promises";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";
import { httpGet } from "./http.js";
import { waitFor } from "./wait.js";

export const NGINX_BINARY = "/usr/sbin/nginx";

/** One upstream server: an IPv4 address, an IPv6 address (without brackets) or a name. */
export interface Upstream {
  host: string;
  port: number;
}

export interface IngressOptions {
  upstreams: Upstream[];
  /** Idle connections nginx keeps open to the upstreams (upstream `keepalive`); off when absent. */
  keepalive?: number;
  /** How long nginx keeps such an idle upstream connection (upstream `keepalive_timeout`, e.g. "60s"). */
  keepaliveTimeout?: string;
  /** `proxy_next_upstream`; nginx's default ("error timeout") when absent. */
  proxyNextUpstream?: string;
  /** `proxy_connect_timeout`, `proxy_read_timeout` (e.g. "2s"); nginx's defaults when absent. */
  proxyConnectTimeout?: string;
  proxyReadTimeout?: string;
  /** Pass WebSocket upgrades through (Upgrade and Connection headers), as ingress-nginx does. */
  websockets?: boolean;
  /** Compress text answers (ingress-nginx's use-gzip): gzip buffers what it compresses unless told to flush. */
  gzip?: boolean;
}

export interface Ingress {
  /** Base URL of the Ingress, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  /** PID of the nginx master. */
  pid: number;
  /** Folder with nginx.conf, error.log and access.log. */
  dir: string;
  /** Rewrites the upstreams (and other options), reloads nginx and waits until the new config answers. */
  reload(changes: Partial<IngressOptions>): Promise<void>;
  errorLog(): Promise<string>;
  accessLog(): Promise<string>;
  /** Stops nginx (by its PID) and removes its folder. */
  stop(): Promise<void>;
}

let cachedReason: string | undefined | null = null;

/** Why nginx cannot be started here, or undefined when it can. */
export function nginxUnavailableReason(): string | undefined {
  if (cachedReason !== null) return cachedReason;
  cachedReason = undefined;
  if (!existsSync(NGINX_BINARY)) cachedReason = `${NGINX_BINARY} is missing (Debian package nginx-light)`;
  else {
    try {
      execFileSync(NGINX_BINARY, ["-v"], { stdio: "pipe" });
    } catch {
      cachedReason = `${NGINX_BINARY} does not run`;
    }
  }
  return cachedReason;
}

const GENERATION_PATH = "/__ingress_generation";

/** Worker processes of an nginx master (its children, from /proc). */
function workerPids(masterPid: number): number[] {
  const pids: number[] = [];
  for (const task of readdirSync(`/proc/${masterPid}/task`)) {
    const children = readFileSync(`/proc/${masterPid}/task/${task}/children`, "utf8").trim();
    if (children) pids.push(...children.split(/\s+/).map(Number));
  }
  return pids;
}

/** The inode of the socket listening on 127.0.0.1:port (from /proc/net/tcp), or undefined. */
function listenerInode(port: number): string | undefined {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[3] === "0A") return fields[9];
  }
  return undefined;
}

/**
 * Workers that still hold the listening socket. A worker told to quit by a reload closes its
 * listener at once, but lives on while its connections last: with WebSockets open, that can
 * be minutes, as in a real Ingress.
 */
function workersListening(masterPid: number, port: number): number {
  const inode = listenerInode(port);
  if (inode === undefined) return 0;
  const target = `socket:[${inode}]`;
  let count = 0;
  for (const pid of workerPids(masterPid)) {
    try {
      if (readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkOrEmpty(`/proc/${pid}/fd/${fd}`) === target)) count++;
    } catch {
      // the worker exited meanwhile
    }
  }
  return count;
}

function readlinkOrEmpty(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}
const START_ATTEMPTS = 5;
const runningMasters = new Set<number>();

// A test process that exits without stop() (a crash, a forgotten after hook) takes its nginx along.
process.once("exit", () => {
  for (const pid of runningMasters) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
});

export async function startIngress(options: IngressOptions): Promise<Ingress> {
  const dir = await mkdtemp(join(tmpdir(), "frank-ingress-"));
  // Workers run as an unprivileged user when nginx starts as root; they need to reach the temp folders.
  await chmod(dir, 0o755);
  const configPath = join(dir, "nginx.conf");
  const errorLogPath = join(dir, "error.log");
  let current = { ...options };
  let generation = 0;

  // The chosen free port may be taken by a parallel test before nginx binds it: try another.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await writeFile(configPath, renderConfig(dir, port, current, generation));
    const master = spawn(NGINX_BINARY, ["-p", dir, "-c", configPath, "-e", errorLogPath], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    master.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<void>((resolve) => master.once("exit", () => resolve()));
    const outcome = await waitFor(
      async () =>
        master.exitCode !== null || master.signalCode !== null
          ? "exited"
          : (await answersGeneration(url, generation)) && "up",
      { description: `nginx to answer on port ${port}` },
    ).catch(async (error: Error) => {
      await stopMaster(master, exited);
      await rm(dir, { recursive: true, force: true });
      throw error;
    });
    if (outcome === "up") {
      runningMasters.add(master.pid!);
      return {
        url,
        port,
        pid: master.pid!,
        dir,
        async reload(changes) {
          current = { ...current, ...changes };
          generation++;
          await writeFile(configPath, renderConfig(dir, port, current, generation));
          process.kill(master.pid!, "SIGHUP");
          await waitFor(() => answersGeneration(url, generation), {
            description: `nginx to load configuration generation ${generation} (see ${errorLogPath})`,
          });
          // The old worker can still accept a connection until it has closed its listener: wait until it has.
          await waitFor(async () => workersListening(master.pid!, port) === 1, {
            description: `nginx's previous worker to close its listener after reload (see ${errorLogPath})`,
          });
        },
        errorLog: () => readFile(errorLogPath, "utf8"),
        accessLog: () => readFile(join(dir, "access.log"), "utf8").catch(() => ""),
        async stop() {
          await stopMaster(master, exited);
          runningMasters.delete(master.pid!);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    const log = stderr + (await readFile(errorLogPath, "utf8").catch(() => ""));
    if (attempt < START_ATTEMPTS && /Address already in use/.test(log)) continue;
    await rm(dir, { recursive: true, force: true });
    throw new Error(`nginx did not start:\n${log}`);
  }
}

async function answersGeneration(url: string, generation: number): Promise<boolean> {
  const { status, body } = await httpGet(url + GENERATION_PATH, { timeoutMs: 1_000 });
  return status === 200 && body === String(generation);
}

async function stopMaster(master: ChildProcess, exited: Promise<void>): Promise<void> {
  if (master.exitCode !== null || master.signalCode !== null) return;
  process.kill(master.pid!, "SIGTERM");
  const timer = setTimeout(() => process.kill(master.pid!, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** The upstream address as nginx writes it: IPv6 literals in brackets. */
function serverAddress({ host, port }: Upstream): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

function renderConfig(dir: string, port: number, options: IngressOptions, generation: number): string {
  const servers = options.upstreams.length
    ? options.upstreams.map((upstream) => `    server ${serverAddress(upstream)};`)
    : // nginx refuses an empty upstream block; a server that is always down answers 502 like no endpoints.
      ["    server 127.0.0.1:9 down;"];
  const upstreamExtras = [
    options.keepalive !== undefined ? `    keepalive ${options.keepalive};` : "",
    options.keepaliveTimeout ? `    keepalive_timeout ${options.keepaliveTimeout};` : "",
  ].filter(Boolean);
  const locationExtras = [
    // Upstream keep-alive needs HTTP/1.1 and no "Connection: close" from nginx; an upgrade needs Upgrade and Connection passed on.
    options.websockets
      ? "proxy_http_version 1.1;\n      proxy_set_header Upgrade $http_upgrade;\n      proxy_set_header Connection $connection_upgrade;"
      : options.keepalive !== undefined
        ? 'proxy_http_version 1.1;\n      proxy_set_header Connection "";'
        : "",
    options.proxyNextUpstream ? `proxy_next_upstream ${options.proxyNextUpstream};` : "",
    options.proxyConnectTimeout ? `proxy_connect_timeout ${options.proxyConnectTimeout};` : "",
    options.proxyReadTimeout ? `proxy_read_timeout ${options.proxyReadTimeout};` : "",
  ].filter(Boolean);
  return `# generated by frank's test support; generation ${generation}
daemon off;
master_process on;
worker_processes 1;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} notice;
events { worker_connections 1024; }
http {
  access_log ${join(dir, "access.log")};${options.gzip ? "\n  gzip on;\n  gzip_types text/plain text/event-stream application/json;" : ""}
  client_body_temp_path ${join(dir, "client_body")};
  proxy_temp_path ${join(dir, "proxy")};
  fastcgi_temp_path ${join(dir, "fastcgi")};
  uwsgi_temp_path ${join(dir, "uwsgi")};
  scgi_temp_path ${join(dir, "scgi")};
${
  options.websockets
    ? `  map $http_upgrade $connection_upgrade {\n    default upgrade;\n    '' ${options.keepalive !== undefined ? '""' : "close"};\n  }\n`
    : ""
}  upstream frank_pods {
${[...servers, ...upstreamExtras].join("\n")}
  }
  server {
    listen 127.0.0.1:${port};
    location = ${GENERATION_PATH} { access_log off; return 200 "${generation}"; }
    location / {
      proxy_pass http://frank_pods;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      ${locationExtras.join("\n      ")}
    }
  }
}
`;
}
