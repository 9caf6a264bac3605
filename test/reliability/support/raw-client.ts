// Raw HTTP/1.1 over node:net: bytes go out exactly as written (nothing normalizes them), in
// pieces and slowly when asked, and what comes back is split into responses.
import { connect, type Socket } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawExchange {
  /** every byte the server sent */
  bytes: Buffer;
  /** the complete responses in those bytes, in order */
  responses: RawResponse[];
  /** the server closed (or reset) the connection */
  closed: boolean;
  /** nothing more came for `idleMs` and the client gave up */
  idle: boolean;
  /** ms from the last byte written to the first byte read (NaN when none came) */
  firstByteMs: number;
}

export interface RawOptions {
  /** ms between pieces; a string or Buffer piece is written whole */
  pauseMs?: number;
  /** stop waiting after this long without a byte from the server (default 5000) */
  idleMs?: number;
  /** stop (and destroy the socket) once this many responses are complete */
  expectResponses?: number;
  /** half-close after the last piece */
  endAfterWrite?: boolean;
}

/** Sends `pieces` (in order, `pauseMs` apart) and collects the answer until close, idleness or enough responses. */
export function rawExchange(port: number, pieces: (string | Buffer)[], options: RawOptions = {}): Promise<RawExchange> {
  const { pauseMs = 0, idleMs = 5000, expectResponses, endAfterWrite = false } = options;
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.setNoDelay(true);
    const chunks: Buffer[] = [];
    let closed = false;
    let idle = false;
    let finished = false;
    let writtenAt = NaN;
    let firstByteAt = NaN;
    let responses: RawResponse[] = [];

    const finish = () => {
      if (finished) return;
      finished = true;
      socket.destroy();
      const bytes = Buffer.concat(chunks);
      resolve({ bytes, responses: parseResponses(bytes), closed, idle, firstByteMs: firstByteAt - writtenAt });
    };
    socket.setTimeout(idleMs, () => {
      idle = true;
      finish();
    });
    socket.on("data", (chunk) => {
      if (Number.isNaN(firstByteAt)) firstByteAt = performance.now();
      chunks.push(chunk);
      if (expectResponses !== undefined) {
        responses = parseResponses(Buffer.concat(chunks));
        if (responses.length >= expectResponses) finish();
      }
    });
    socket.on("error", () => {
      closed = true; // a reset is the server closing, too
      finish();
    });
    socket.on("close", () => {
      closed = true;
      finish();
    });
    socket.once(
      "connect",
      () =>
        void writePieces(socket, pieces, pauseMs).then(() => {
          writtenAt = performance.now();
          if (endAfterWrite && !socket.destroyed) socket.end();
        }),
    );
  });
}

async function writePieces(socket: Socket, pieces: (string | Buffer)[], pauseMs: number): Promise<void> {
  for (let i = 0; i < pieces.length; i++) {
    if (socket.destroyed) return;
    if (i > 0 && pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    if (socket.destroyed) return;
    await new Promise<void>((resolve) => socket.write(pieces[i], () => resolve()));
  }
}

/** Splits raw bytes into HTTP/1.1 responses (Content-Length or chunked bodies; no HEAD). Stops at the first incomplete one. */
export function parseResponses(bytes: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const headEnd = bytes.indexOf("\r\n\r\n", offset);
    if (headEnd === -1) break;
    const lines = bytes.subarray(offset, headEnd).toString("latin1").split("\r\n");
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
    if (!status) break;
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let cursor = headEnd + 4;
    let body: Buffer;
    const code = Number(status[1]);
    if (code === 204 || code === 304 || (code >= 100 && code < 200)) {
      body = Buffer.alloc(0);
    } else if (headers["content-length"] !== undefined) {
      const length = Number(headers["content-length"]);
      if (cursor + length > bytes.length) break;
      body = bytes.subarray(cursor, cursor + length);
      cursor += length;
    } else if (/chunked/i.test(headers["transfer-encoding"] ?? "")) {
      const parts: Buffer[] = [];
      let complete = false;
      while (true) {
        const lineEnd = bytes.indexOf("\r\n", cursor);
        if (lineEnd === -1) break;
        const size = parseInt(bytes.subarray(cursor, lineEnd).toString("latin1"), 16);
        if (Number.isNaN(size) || lineEnd + 2 + size + 2 > bytes.length) break;
        cursor = lineEnd + 2;
        if (size === 0) {
          cursor += 2;
          complete = true;
          break;
        }
        parts.push(bytes.subarray(cursor, cursor + size));
        cursor += size + 2;
      }
      if (!complete) break;
      body = Buffer.concat(parts);
    } else {
      body = bytes.subarray(cursor); // delimited by the close
      cursor = bytes.length;
    }
    responses.push({ status: code, headers, body });
    offset = cursor;
  }
  return responses;
}

/** A well-formed GET, as a browser would send it (keep-alive unless `close`). */
export function getRequest(path: string, extraHeaders: string[] = [], close = true): string {
  return [
    `GET ${path} HTTP/1.1`,
    "Host: 127.0.0.1",
    ...extraHeaders,
    ...(close ? ["Connection: close"] : []),
    "",
    "",
  ].join("\r\n");
}
