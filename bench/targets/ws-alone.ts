/**
 * The same WebSocket echo with `ws` alone on node:http: the ceiling for frank's WebSockets,
 * which are `ws` underneath. Compression off, as in frank.
 */
import { createServer } from "node:http";
import { WebSocketServer } from "ws";
import { HELLO, HOST, PORT } from "./shared.js";

const server = createServer((req, res) => {
  res.writeHead(req.url === "/hello" ? 200 : 404, { "content-type": "text/plain" });
  res.end(req.url === "/hello" ? HELLO : "");
});
const wss = new WebSocketServer({ server, path: "/echo", perMessageDeflate: false });
wss.on("connection", (ws) => {
  ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
});
server.listen(PORT, HOST);
