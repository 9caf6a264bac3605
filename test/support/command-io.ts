import { PassThrough, Readable } from "node:stream";

/** Streams for a command's `run(args, io)`, with what it wrote collected as text. */
export function commandIo(stdinText = "") {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk) => (out += chunk));
  stderr.on("data", (chunk) => (err += chunk));
  return { io: { stdout, stderr, stdin: Readable.from([stdinText]) }, out: () => out, err: () => err };
}
