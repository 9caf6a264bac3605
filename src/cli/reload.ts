import { spawn, type ChildProcess } from "node:child_process";
import { watch } from "node:fs";
import { basename, dirname } from "node:path";

/** Set in the child a reloading supervisor starts, so the child serves instead of supervising. */
export const RELOAD_CHILD = "FRANK_RELOAD_CHILD";

/** The child tells its supervisor it listens; until then a failure ends the supervisor too. */
export function reportReady(): void {
  if (process.env[RELOAD_CHILD] && process.send) process.send({ frank: "ready" });
}

const IGNORED = /(^|[/\\])(node_modules|\.git|dist|coverage)([/\\]|$)|(^|[/\\])\.[^/\\]*$/;

/**
 * `--reload`: this process watches FILE's folder and runs the server in a child process,
 * restarting it after a change. A child that fails before it ever listened ends the
 * supervisor with its status (a broken app must not hang); a later crash waits for the next
 * change. SIGINT and SIGTERM stop the child and then the supervisor.
 */
export function superviseWithReload(file: string, argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const folder = dirname(file);
  let child: ChildProcess | undefined;
  let everReady = false;
  let restarting = false;
  let stopping = false;
  let debounce: NodeJS.Timeout | undefined;

  return new Promise((resolveExit) => {
    const start = () => {
      const started = spawn(process.execPath, [...process.execArgv, process.argv[1], ...argv], {
        stdio: ["inherit", "inherit", "inherit", "ipc"],
        env: { ...env, [RELOAD_CHILD]: "1" },
      });
      child = started;
      started.on("message", (message: { frank?: string }) => {
        if (message?.frank === "ready") everReady = true;
      });
      started.once("exit", (code, signal) => {
        child = undefined;
        if (stopping) return finish(0);
        if (restarting) {
          restarting = false;
          return start();
        }
        if (!everReady) return finish(code ?? 1);
        console.error(
          `== frank: the app stopped (${signal ?? `status ${code}`}); waiting for a change in ${folder} to start it again`,
        );
      });
    };

    const restart = (changed: string) => {
      console.error(`== frank: ${changed} changed, restarting`);
      if (child) {
        restarting = true;
        child.kill("SIGTERM");
      } else {
        start();
      }
    };

    const watcher = watch(folder, { recursive: true }, (_event, name) => {
      const changed = name ? String(name) : basename(file);
      if (IGNORED.test(changed)) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => restart(changed), 100);
    });

    const stop = () => {
      if (stopping) return;
      stopping = true;
      if (child) child.kill("SIGTERM");
      else finish(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);

    const finish = (code: number) => {
      watcher.close();
      clearTimeout(debounce);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolveExit(code);
    };

    start();
  });
}
