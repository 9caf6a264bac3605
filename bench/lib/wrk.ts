/** Runs Debian's wrk against one URL and reads its summary. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface WrkOptions {
  url: string;
  seconds: number;
  connections: number;
  /** A Lua script for wrk (`-s`), e.g. the POST body. */
  script?: string;
  /** CPU the load generator is pinned to; undefined when pinning is not possible. */
  cpu?: number;
}

export interface WrkResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  /** Responses that were not 2xx or 3xx (expected for `missing`). */
  non2xx: number;
  socketErrors: number;
}

export async function wrk(options: WrkOptions): Promise<WrkResult> {
  const args = ["-t1", `-c${options.connections}`, `-d${options.seconds}s`, "--latency", "--timeout", "5s"];
  if (options.script) args.push("-s", options.script);
  args.push(options.url);
  const [command, argv] =
    options.cpu === undefined ? ["wrk", args] : ["taskset", ["-c", String(options.cpu), "wrk", ...args]];
  // wrk stops itself after -d; the timeout is a second fence in case it ever hangs.
  const { stdout } = await run(command, argv, {
    timeout: (options.seconds + 30) * 1000,
    killSignal: "SIGKILL",
  });
  return parseWrk(stdout);
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function duration(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!match) throw new Error(`wrk: unreadable duration ${text}`);
  return Number(match[1]) * UNITS[match[2]!]!;
}

export function parseWrk(output: string): WrkResult {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m),/.exec(output);
  const p50 = /^\s+50%\s+(\S+)\s*$/m.exec(output);
  const p99 = /^\s+99%\s+(\S+)\s*$/m.exec(output);
  if (!total || !p50 || !p99) throw new Error(`wrk: unexpected output\n${output}`);
  const requests = Number(total[1]);
  const seconds = duration(`${total[2]}${total[3]}`) / 1000;
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requests,
    seconds,
    requestsPerSecond: requests / seconds,
    p50: duration(p50[1]!),
    p99: duration(p99[1]!),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    socketErrors: errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}
