/**
 * A Web ReadableStream over a byte span of a file, read on demand: a chunk is read only when
 * the consumer asks for one (pull), so a slow client holds back the disk instead of filling memory.
 *
 * It is a byte stream: a consumer may read it with a BYOB reader and hand the same buffer back
 * each time, so a large file needs no new buffer per chunk. (With a default reader each chunk
 * is a fresh 64 KiB buffer; V8 collects those lazily, so RSS rises by ~30-40 MB of garbage on
 * the first large stream, whatever the file size, as with fs.createReadStream.)
 *
 * The file is opened on the first pull, so a Response that is never read (HEAD, a client that
 * went away) never holds a descriptor; it is closed at the end, on error, and on cancel, but
 * never while a read is still using it.
 */
import { open, read, close } from "node:fs";

const CHUNK_SIZE = 64 * 1024;

function openFile(path: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, "r", (err, fd) => (err ? reject(err) : resolve(fd))));
}

function readInto(fd: number, view: Uint8Array, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, view, 0, length, position, (err, bytesRead) => (err ? reject(err) : resolve(bytesRead))),
  );
}

/** Streams bytes `start..end` (inclusive) of the file at `path`; errors if the file turns out shorter. */
export function fileStream(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  let fd = -1;
  let position = start;
  let reading = false;
  let cancelled = false;
  const release = () => {
    if (fd !== -1 && !reading) close(fd, () => {});
    if (!reading) fd = -1;
  };
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: CHUNK_SIZE,
    async pull(controller) {
      const request = controller.byobRequest!;
      const view = request.view as Uint8Array;
      reading = true;
      let bytesRead: number;
      try {
        if (fd === -1) fd = await openFile(path);
        const remaining = end + 1 - position;
        bytesRead = await readInto(fd, view, Math.min(view.byteLength, remaining), position);
        if (bytesRead === 0) throw new Error(`${path} ended ${remaining} bytes early (it changed while being sent)`);
      } catch (error) {
        reading = false;
        release();
        if (!cancelled) controller.error(error);
        return;
      }
      reading = false;
      if (cancelled) return release();
      position += bytesRead;
      request.respond(bytesRead);
      if (position > end) {
        release();
        controller.close();
      }
    },
    cancel() {
      cancelled = true;
      release();
    },
  });
}
