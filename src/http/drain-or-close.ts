import type { EventEmitter } from "node:events";

/**
 * Resolves once a Node writable that said "not now" (write returned false) wants more ("drain"),
 * or will never want more ("close"): the writer awaits it between chunks, so it keeps at most
 * one chunk ahead of the reader and never waits forever on a destroyed stream.
 */
export function drainOrClose(writable: EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      writable.off("drain", done);
      writable.off("close", done);
      resolve();
    };
    writable.on("drain", done);
    writable.on("close", done);
  });
}
