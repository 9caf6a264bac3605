/**
 * The load generator of the WebSocket echo scenario (wrk's role): CONNECTIONS sockets, each
 * sending a 32-byte text message and waiting for its echo before the next, for SECONDS.
 * Prints one JSON line: round trips, round trips per second, p50/p99 latency in ms.
 * Usage: node --import tsx bench/lib/ws-echo-client.ts URL CONNECTIONS SECONDS
 */
import WebSocket from "ws";

const [url, connectionsText, secondsText] = process.argv.slice(2);
const connections = Number(connectionsText);
const seconds = Number(secondsText);
const MESSAGE = "frank-bench-websocket-echo-32-by";

const latencies: number[] = [];
let roundTrips = 0;
let errors = 0;

async function run(): Promise<void> {
  const sockets = await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          ws.once("open", () => resolve(ws));
          ws.once("error", reject);
        }),
    ),
  );
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          let sentAt = 0;
          const send = () => {
            if (performance.now() >= deadline) {
              ws.close();
              resolve();
              return;
            }
            sentAt = performance.now();
            ws.send(MESSAGE);
          };
          ws.on("message", (data) => {
            if (data.toString() !== MESSAGE) errors++;
            roundTrips++;
            // Every 8th round trip is kept: enough for percentiles, little work for the client.
            if ((roundTrips & 7) === 0) latencies.push(performance.now() - sentAt);
            send();
          });
          ws.on("error", () => {
            errors++;
            resolve();
          });
          send();
        }),
    ),
  );
}

await run();
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
process.stdout.write(
  `${JSON.stringify({ roundTrips, perSecond: roundTrips / seconds, p50Ms: at(0.5), p99Ms: at(0.99), errors })}\n`,
);
