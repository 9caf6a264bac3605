// What a child process writes, collected as it arrives, with a wait for a line that is driven by the
// output itself (each chunk is checked as it comes) instead of a polling loop.
import type { ChildProcess } from "node:child_process";

export interface ChildOutput {
  /** Everything written so far, stdout and stderr interleaved. */
  text(): string;
  /**
   * Resolves with the match once the output matches `pattern`; rejects, with the output so far,
   * when the process exits first or `timeoutMs` passes.
   */
  said(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

export function childOutput(child: ChildProcess): ChildOutput {
  let text = "";
  const waiting = new Set<() => void>();
  const onData = (chunk: Buffer | string) => {
    text += chunk;
    for (const check of waiting) check();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  let exited = child.exitCode !== null || child.signalCode !== null;
  child.once("close", () => {
    exited = true;
    for (const check of waiting) check();
  });

  function said(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const finish = (error?: Error, match?: RegExpExecArray) => {
        waiting.delete(check);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(match!);
      };
      const check = () => {
        const match = pattern.exec(text);
        if (match) finish(undefined, match);
        else if (exited) finish(new Error(`the process exited without printing ${pattern}:\n${text}`));
      };
      const timer = setTimeout(
        () => finish(new Error(`nothing matched ${pattern} within ${timeoutMs} ms:\n${text}`)),
        timeoutMs,
      );
      waiting.add(check);
      check();
    });
  }

  return { text: () => text, said };
}
