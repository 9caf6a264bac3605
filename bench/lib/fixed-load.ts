/**
 * Exactly N GET requests over keep-alive connections, for "RSS after N requests"
 * (wrk cannot stop after a count: its main thread always sleeps the full -d).
 * Bounded by the count and by a deadline.
 */
import { Agent, request } from "node:http";

export async function sendRequests(
  port: number,
  path: string,
  count: number,
  concurrency: number,
  deadlineMs: number,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const deadline = performance.now() + deadlineMs;
  let sent = 0;
  let answered = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, agent }, (res) => {
        res.resume();
        res.on("end", () => {
          answered++;
          resolve();
        });
      });
      req.on("error", reject);
      req.end();
    });
  const worker = async () => {
    while (sent < count && performance.now() < deadline) {
      sent++;
      await one();
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return answered;
}
