// A bounded HTTP load for end-to-end tests: a few clients send requests back to back until
// the time is up or the request budget is spent, and every answer and every connection error
// is counted.
import { Agent, request } from "node:http";

export interface LoadRequest {
  method: string;
  path: string;
  body?: string;
}

export interface LoadOptions {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** Requests the clients take turns on. */
  requests: LoadRequest[];
  concurrency: number;
  /** The load stops by itself after this long... */
  durationMs: number;
  /** ...or after this many requests, whichever comes first. */
  maxRequests: number;
  /** Pause of client number `client` between its requests (default none). */
  pauseMs?: (client: number) => number;
  /** A request without an answer in this time counts as an error (default 10 s). */
  timeoutMs?: number;
  /**
   * Reuse connections to the server (default false: a connection per request). Off when the
   * Ingress reloads during the load: nginx then closes idle client connections, and a client
   * reusing one at that moment would count a failure that is not behind the Ingress.
   */
  keepAlive?: boolean;
}

export interface LoadResult {
  sent: number;
  /** Answers by status code. */
  statuses: Map<number, number>;
  /** Requests that got no HTTP answer, by error code. */
  errors: Map<string, number>;
  /** 5xx answers plus connection errors. */
  failed: number;
  /** A few failures, for the assertion message. */
  samples: string[];
}

function send(
  agent: Agent | false,
  url: string,
  { method, path, body }: LoadRequest,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(body));
    }
    const req = request(url + path, { method, agent, headers, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("no answer in time"), { code: "TIMEOUT" })));
    req.on("error", reject);
    req.end(body);
  });
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { url, requests, concurrency, durationMs, maxRequests, pauseMs, timeoutMs = 10_000 } = options;
  const agent = options.keepAlive ? new Agent({ keepAlive: true, maxSockets: concurrency }) : false;
  const deadline = Date.now() + durationMs;
  const result: LoadResult = { sent: 0, statuses: new Map(), errors: new Map(), failed: 0, samples: [] };

  const client = async (index: number) => {
    for (let turn = index; Date.now() < deadline && result.sent < maxRequests; turn += concurrency) {
      const next = requests[turn % requests.length];
      result.sent++;
      try {
        const status = await send(agent, url, next, timeoutMs);
        bump(result.statuses, status);
        if (status >= 500) {
          result.failed++;
          if (result.samples.length < 5) result.samples.push(`${next.method} ${next.path} → ${status}`);
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        bump(result.errors, code);
        result.failed++;
        if (result.samples.length < 5) result.samples.push(`${next.method} ${next.path} → ${code}`);
      }
      const pause = pauseMs?.(index) ?? 0;
      if (pause > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, deadline - Date.now()))));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => client(index)));
  if (agent) agent.destroy();
  return result;
}

/** "1234 sent: 200×1000 302×234; errors: ECONNRESET×2" */
export function describeLoad(result: LoadResult): string {
  const statuses = [...result.statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}×${count}`)
    .join(" ");
  const errors = [...result.errors].map(([code, count]) => `${code}×${count}`).join(" ");
  return `${result.sent} sent: ${statuses || "no answers"}${errors ? `; errors: ${errors}` : ""}`;
}
