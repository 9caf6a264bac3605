/**
 * Raw node:http, written the way a careful hand would: the ceiling for Node.
 * Routing is a lookup on the first path segment; files are stat'ed and streamed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createReadStream, stat } from "node:fs";
import { extname, join } from "node:path";
import {
  HELLO,
  HOST,
  JSON_PAYLOAD,
  PORT,
  ROUTES_AFTER_USER,
  ROUTES_BEFORE_USER,
  STATIC_DIR,
  otherRouteBody,
} from "./shared.js";
import { Order, orderSummary } from "./order.js";

type Route = (req: IncomingMessage, res: ServerResponse, segments: string[]) => void;

const CONTENT_TYPES: Record<string, string> = {
  ".txt": "text/plain; charset=utf-8",
  ".bin": "application/octet-stream",
};

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function notFound(res: ServerResponse): void {
  send(res, 404, "text/plain; charset=utf-8", "Not Found");
}

function sendFile(res: ServerResponse, name: string): void {
  if (name.includes("..") || name.includes("\0")) {
    notFound(res);
    return;
  }
  const file = join(STATIC_DIR, name);
  stat(file, (err, stats) => {
    if (err || !stats.isFile()) {
      notFound(res);
      return;
    }
    res.writeHead(200, {
      "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": stats.size,
      "last-modified": stats.mtime.toUTCString(),
    });
    createReadStream(file).pipe(res);
  });
}

function echoJson(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    try {
      const body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      send(res, 200, "application/json", body);
    } catch {
      send(res, 400, "text/plain; charset=utf-8", "Bad JSON");
    }
  });
}

function validOrder(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      send(res, 400, "text/plain; charset=utf-8", "Bad JSON");
      return;
    }
    const parsed = Order.safeParse(body);
    if (parsed.success) send(res, 200, "application/json", JSON.stringify(orderSummary(parsed.data)));
    else send(res, 422, "application/json", JSON.stringify({ issues: parsed.error.issues }));
  });
}

// Routes keyed by method, first segment and segment count, which is enough for this table.
const routes = new Map<string, Route>();
const add = (method: string, pattern: string, route: Route) => {
  const segments = pattern.split("/").slice(1);
  routes.set(`${method} ${segments[0]} ${segments.length}`, route);
};
for (const pattern of ROUTES_BEFORE_USER)
  add("GET", pattern, (_q, res) => send(res, 200, "text/plain", otherRouteBody(pattern)));
add("GET", "/hello", (_q, res) => send(res, 200, "text/plain; charset=utf-8", HELLO));
add("GET", "/json", (_q, res) => send(res, 200, "application/json", JSON.stringify(JSON_PAYLOAD)));
add("GET", "/user/:id", (_q, res, s) =>
  send(res, 200, "text/plain; charset=utf-8", `User ${decodeURIComponent(s[1]!)}`),
);
add("POST", "/echo", echoJson);
add("POST", "/orders", validOrder);
for (const pattern of ROUTES_AFTER_USER)
  add("GET", pattern, (_q, res) => send(res, 200, "text/plain", otherRouteBody(pattern)));

createServer((req, res) => {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  if (req.method === "GET" && path.startsWith("/static/")) return sendFile(res, path.slice(8));
  const segments = path.split("/").slice(1);
  const route = routes.get(`${req.method} ${segments[0]} ${segments.length}`);
  if (route) route(req, res, segments);
  else notFound(res);
}).listen(PORT, HOST);
