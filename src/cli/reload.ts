import { type ChildProcess, spawn } from "node:child_process";
import { type FSWatcher, watch } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import type { WatchSet } from "./module-graph.js";

/** Set in the child a reloading supervisor starts, so the child serves instead of supervising. */
export const RELOAD_CHILD = "FRANK_RELOAD_CHILD";
/** Set once the app has served: a later child that cannot load it shows the error page instead of exiting. */
export const RELOAD_SERVED_BEFORE = "FRANK_RELOAD_SERVED_BEFORE";

/** What a child tells its supervisor. */
type ChildMessage = { frank: "loaded" | "ready" | "failed"; watch?: WatchSet };

/**
 * The child tells its supervisor what to watch once the app is loaded ("loaded", or "failed" for
 * an app that did not load and gets the error page), and that it listens ("ready").
 */
export function reportToSupervisor(state: ChildMessage["frank"], watchSet?: WatchSet): void {
  if (process.env[RELOAD_CHILD] && process.send) process.send({ frank: state, watch: watchSet } satisfies ChildMessage);
}

/** Only the names of a folder's entries that are watched; every change under a watched folder counts. */
class Watches {
  readonly #watchers: FSWatcher[] = [];

  constructor(set: WatchSet, changed: (path: string) => void) {
    // A file is watched through its folder, not itself: an editor's atomic save (write a copy,
    // rename it over the file) replaces the file, and a watch on the old one would go blind.
    const byFolder = new Map<string, Set<string>>();
    for (const file of set.files) {
      const names = byFolder.get(dirname(file)) ?? new Set<string>();
      names.add(basename(file));
      byFolder.set(dirname(file), names);
    }
    for (const [folder, names] of byFolder) {
      this.#open(folder, false, (name) => {
        if (name !== undefined && names.has(basename(name))) changed(join(folder, name));
      });
    }
    for (const folder of set.folders) {
      this.#open(folder, true, (name) => {
        if (name === undefined || !/(^|[/\\])\./.test(name)) changed(join(folder, name ?? ""));
      });
    }
  }

  #open(folder: string, recursive: boolean, onEvent: (name: string | undefined) => void): void {
    try {
      const watcher = watch(folder, { recursive }, (_event, name) => onEvent(name ? String(name) : undefined));
      watcher.on("error", () => {}); // a folder that disappears stops reporting; the next restart watches anew
      this.#watchers.push(watcher);
    } catch {
      // a folder that is gone is not watched
    }
  }

  close(): void {
    for (const watcher of this.#watchers.splice(0)) watcher.close();
  }
}

/**
 * `--reload`: this process runs the server in a child process and restarts it when a file of
 * the app changes. The child reports what to watch (its module graph, views and `.env` files,
 * see module-graph.ts); until it does, FILE alone is watched. A child that fails before the app
 * ever served ends the supervisor with its status (a broken app must not hang); once it has
 * served, a child that cannot load the app serves the development error page until the next
 * change. SIGINT and SIGTERM stop the child and then the supervisor.
 */
export function superviseWithReload(file: string, argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const folder = dirname(file);
  let child: ChildProcess | undefined;
  let servedBefore = false;
  let restarting = false;
  let stopping = false;
  let debounce: NodeJS.Timeout | undefined;
  let watching: WatchSet = { files: [file], folders: [] };
  let watches: Watches | undefined;

  return new Promise((resolveExit) => {
    const start = () => {
      const started = spawn(process.execPath, [...process.execArgv, process.argv[1], ...argv], {
        stdio: ["inherit", "inherit", "inherit", "ipc"],
        env: { ...env, [RELOAD_CHILD]: "1", ...(servedBefore ? { [RELOAD_SERVED_BEFORE]: "1" } : {}) },
      });
      child = started;
      started.on("message", (message: ChildMessage) => {
        if (message?.frank === "ready") servedBefore = true;
        if (message?.frank !== "loaded" && message?.frank !== "failed") return;
        if (message.watch) {
          // After a failed load, keep watching what worked before too: the fix may be anywhere.
          const files = message.frank === "failed" ? [...watching.files, ...message.watch.files] : message.watch.files;
          watchOnly({
            files: [...new Set(files)],
            folders: message.watch.folders.length > 0 ? message.watch.folders : watching.folders,
          });
        }
      });
      started.once("exit", (code, signal) => {
        child = undefined;
        if (stopping) return finish(0);
        if (restarting) {
          restarting = false;
          return start();
        }
        if (!servedBefore) return finish(code ?? 1);
        console.error(
          `== frank: the app stopped (${signal ?? `status ${code}`}); waiting for a change to ${basename(file)} or the files it imports to start it again`,
        );
      });
    };

    const restart = (changed: string) => {
      console.error(`== frank: ${relative(folder, changed) || basename(changed)} changed, restarting`);
      if (child) {
        restarting = true;
        child.kill("SIGTERM");
      } else {
        start();
      }
    };

    const onChange = (path: string) => {
      clearTimeout(debounce);
      debounce = setTimeout(() => restart(path), 100);
    };

    const watchOnly = (set: WatchSet) => {
      watches?.close();
      watching = set;
      watches = new Watches(set, onChange);
    };

    const stop = () => {
      if (stopping) return;
      stopping = true;
      if (child) child.kill("SIGTERM");
      else finish(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);

    const finish = (code: number) => {
      watches?.close();
      clearTimeout(debounce);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolveExit(code);
    };

    watchOnly(watching);
    start();
  });
}
