// The files `frank doctor -f PATH` reads: a file, or every *.yaml, *.yml and *.json under a
// folder. The walk does not follow symlinked folders (two links to .. would make it endless),
// skips hidden entries (.git, .github), and names what it could not read instead of stopping.
import { type Dirent, readFileSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { join } from "node:path";
import type { InputNote, ManifestSource } from "../k8s/load-manifests.js";

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

export interface ManifestFiles {
  sources: ManifestSource[];
  notes: InputNote[];
  /** Folders given that held no manifest file at all. */
  emptyFolders: string[];
}

export function readManifestPaths(paths: readonly string[]): ManifestFiles {
  const files: ManifestFiles = { sources: [], notes: [], emptyFolders: [] };
  for (const path of paths) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path); // a path given by name is followed, even through a symlink
    } catch (error) {
      files.notes.push(accessNote(path, error));
      continue;
    }
    if (!stat.isDirectory()) {
      readInto(files, path);
      continue;
    }
    const before = files.sources.length;
    walk(path, files);
    if (files.sources.length === before) files.emptyFolders.push(path);
  }
  return files;
}

/** Depth-first, in name order, without recursion (a folder tree may be deeper than the stack). */
function walk(root: string, files: ManifestFiles): void {
  const pending = [root];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      files.notes.push(accessNote(folder, error));
      continue;
    }
    const folders: string[] = [];
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith(".")) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) folders.push(path);
      else if (entry.isSymbolicLink()) followLink(path, files);
      else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) readInto(files, path);
    }
    pending.push(...folders.reverse());
  }
}

/** A symlinked file is read; a symlinked folder is named and not entered; a broken link is named. */
function followLink(path: string, files: ManifestFiles): void {
  let target: ReturnType<typeof statSync>;
  try {
    target = statSync(path);
  } catch {
    let to = "";
    try {
      to = ` (to ${readlinkSync(path)})`;
    } catch {}
    files.notes.push({
      file: path,
      reason: `a broken symlink${to}: skipped`,
      unreadable: MANIFEST_FILE.test(path),
    });
    return;
  }
  if (target.isDirectory()) {
    files.notes.push({
      file: path,
      reason: "a symlink to a folder: not followed (pass it as its own -f to check it)",
      unreadable: false,
    });
  } else if (target.isFile() && MANIFEST_FILE.test(path)) {
    readInto(files, path);
  }
}

function readInto(files: ManifestFiles, path: string): void {
  try {
    files.sources.push({ name: path, text: readFileSync(path, "utf8") });
  } catch (error) {
    files.notes.push(accessNote(path, error));
  }
}

function accessNote(path: string, error: unknown): InputNote {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? "no such file or directory"
      : code === "EACCES"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a directory"
          : ((error as Error).message ?? String(error));
  return { file: path, reason: `cannot be read: ${reason}`, unreadable: true };
}
