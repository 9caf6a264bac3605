/**
 * The names at the top of the public folder, kept in memory so that a request which cannot be a
 * static file (`/hello`, `/user/42`) is turned away without touching the disk.
 *
 * Freshness: a non-persistent `fs.watch` on the folder marks the list stale as soon as an entry
 * is created, renamed or removed, and the list is re-read at most once per `maxAgeMs` in any case
 * (watch events can be lost, and the folder may not exist yet or be replaced). A new top-level
 * file is therefore found on the next request after the watch event, and within `maxAgeMs` at worst.
 */
import { readdirSync, realpathSync, watch, type FSWatcher } from "node:fs";

export class FolderNames {
  private names = new Set<string>();
  private realFolder: string | undefined;
  /** True for `maxAgeMs` after a read (a timer clears it), until a watch event says otherwise. */
  private fresh = false;
  private watcher: FSWatcher | undefined;

  constructor(
    readonly folder: string,
    private readonly maxAgeMs = 1000,
  ) {}

  /** Whether `name` is an entry at the top of the folder. */
  has(name: string): boolean {
    this.refreshIfStale();
    return this.names.has(name);
  }

  /** The folder with symlinks resolved, or undefined while it does not exist. */
  realPath(): string | undefined {
    this.refreshIfStale();
    return this.realFolder;
  }

  private refreshIfStale(): void {
    if (this.fresh) return;
    // A flag and one unref'd timer per read: no clock reading on every request.
    this.fresh = true;
    setTimeout(() => (this.fresh = false), this.maxAgeMs).unref();
    try {
      this.realFolder = realpathSync(this.folder);
      this.names = new Set(readdirSync(this.folder));
      this.watch();
    } catch {
      this.realFolder = undefined;
      this.names = new Set();
      this.unwatch();
    }
  }

  private watch(): void {
    if (this.watcher !== undefined) return;
    try {
      this.watcher = watch(this.folder, { persistent: false }, () => {
        this.fresh = false;
      });
      this.watcher.on("error", () => this.unwatch());
    } catch {
      // No watcher (inotify limits, odd filesystems): the list still refreshes by age.
    }
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Stops watching (for tests and shutdown; the watcher never keeps the process alive anyway). */
  close(): void {
    this.unwatch();
  }
}
