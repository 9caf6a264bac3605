import { readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Whose code a stack frame is in: the app's, frank's own, a dependency's, or Node's. */
export type FrameKind = "app" | "frank" | "dependency" | "node";

export interface SourceLine {
  number: number;
  text: string;
  current: boolean;
}

export interface StackFrame {
  /** The function, as V8 names it ("boom", "async Server.handle", "new Order"). */
  fn: string | undefined;
  /** An absolute path (file: URLs converted), "node:internal/…", or whatever V8 printed. */
  file: string | undefined;
  line: number | undefined;
  column: number | undefined;
  kind: FrameKind;
  /** The file relative to the app root when it is inside it, else as is. */
  displayFile: string | undefined;
  source: SourceLine[] | undefined;
}

// frank's package root: this file is <root>/src/middleware/dev-pages/stack.ts, or
// <root>/dist/middleware/dev-pages/stack.js once built.
const FRANK_ROOT = dirname(dirname(dirname(dirname(fileURLToPath(import.meta.url)))));
const FRANK_CODE = [`${FRANK_ROOT}${sep}src${sep}`, `${FRANK_ROOT}${sep}dist${sep}`];

const CONTEXT_LINES = 5;
const MAX_LINE_CHARS = 200;
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
const MAX_FRAMES_WITH_SOURCE = 40;

/**
 * Parses the frames of an error's stack and reads source excerpts for the app's frames
 * (the code the user edits; frank's and dependencies' frames show their location only).
 */
export async function stackFrames(error: unknown, appRoot: string): Promise<StackFrame[]> {
  const stack = error instanceof Error && typeof error.stack === "string" ? error.stack : "";
  const frames = stack
    .split("\n")
    .filter((line) => /^\s*at /.test(line))
    .map((line) => parseFrame(line, appRoot));
  const files = new Map<string, Promise<string[] | undefined>>();
  await Promise.all(
    frames.slice(0, MAX_FRAMES_WITH_SOURCE).map(async (frame) => {
      if (!frame.file || frame.line === undefined || frame.kind !== "app") return;
      if (!files.has(frame.file)) files.set(frame.file, readLines(frame.file));
      const lines = await files.get(frame.file)!;
      if (lines) frame.source = excerpt(lines, frame.line, frame.column ?? 1);
    }),
  );
  return frames;
}

function parseFrame(line: string, appRoot: string): StackFrame {
  const match = frameParts(line);
  if (!match) {
    // "at new Promise (<anonymous>)", "at Array.map (native)": no location to show.
    const text = line.trim().slice(3);
    return {
      fn: text,
      file: undefined,
      line: undefined,
      column: undefined,
      kind: "node",
      displayFile: undefined,
      source: undefined,
    };
  }
  const [fn, location, lineNumber, column] = match;
  const file = location.startsWith("file://") ? fileURLToPath(location) : location;
  const kind = classify(file);
  const inApp = isAbsolute(file) && (file + sep).startsWith(appRoot + sep) && kind === "app";
  return {
    fn,
    file,
    line: Number(lineNumber),
    column: Number(column),
    kind,
    displayFile: inApp ? relative(appRoot, file) : file,
    source: undefined,
  };
}

/**
 * `at fn (file:line:column)` or `at file:line:column` as [fn, file, line, column], or undefined.
 * One pass from each end rather than a regex: an error message can hold user input, and a line
 * like `at a (a (a (…` made the equivalent regex, `^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$`,
 * take quadratic time. Same result as that regex (stack.test.ts compares them).
 */
export function frameParts(line: string): [string | undefined, string, string, string] | undefined {
  let start = 0;
  while (start < line.length && /\s/.test(line[start])) start++;
  if (!line.startsWith("at ", start)) return undefined;
  const rest = line.slice(start + 3);
  if (/[\r\u2028\u2029]/.test(rest)) return undefined; // "." stops at line terminators
  // From the end: an optional ")", then ":line:column", both all digits.
  const end = rest.endsWith(")") ? rest.length - 1 : rest.length;
  const columnStart = digitsBefore(rest, end);
  if (columnStart === end || rest[columnStart - 1] !== ":") return undefined;
  const lineEnd = columnStart - 1;
  const lineStart = digitsBefore(rest, lineEnd);
  if (lineStart === lineEnd || rest[lineStart - 1] !== ":") return undefined;
  const locationEnd = lineStart - 1;
  const lineNumber = rest.slice(lineStart, lineEnd);
  const column = rest.slice(columnStart, end);
  // The first " (" after at least one character that leaves a file name: the function's name ends there.
  const paren = rest.indexOf(" (", 1);
  if (paren !== -1 && paren + 2 < locationEnd) {
    return [rest.slice(0, paren), rest.slice(paren + 2, locationEnd), lineNumber, column];
  }
  return locationEnd > 0 ? [undefined, rest.slice(0, locationEnd), lineNumber, column] : undefined;
}

function digitsBefore(text: string, end: number): number {
  let i = end;
  while (i > 0 && text.charCodeAt(i - 1) >= 48 && text.charCodeAt(i - 1) <= 57) i--;
  return i;
}

export function classify(file: string): FrameKind {
  if (file.startsWith("node:") || !isAbsolute(file)) return "node";
  if (FRANK_CODE.some((root) => file.startsWith(root))) return "frank";
  if (file.includes(`${sep}node_modules${sep}`)) return "dependency";
  return "app";
}

async function readLines(file: string): Promise<string[] | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size > MAX_SOURCE_BYTES) return undefined;
    const lines = (await readFile(file, "utf8")).split(/\r?\n/);
    if (lines.at(-1) === "") lines.pop(); // the newline that ends the file starts no line
    return lines;
  } catch {
    return undefined;
  }
}

function excerpt(lines: string[], lineNumber: number, column: number): SourceLine[] | undefined {
  if (lineNumber < 1 || lineNumber > lines.length) return undefined;
  const first = Math.max(1, lineNumber - CONTEXT_LINES);
  const last = Math.min(lines.length, lineNumber + CONTEXT_LINES);
  const out: SourceLine[] = [];
  for (let n = first; n <= last; n++) {
    const current = n === lineNumber;
    out.push({ number: n, text: shorten(lines[n - 1], current ? column : 1), current });
  }
  return out;
}

/** Minified lines are thousands of characters long; show the part around the column. */
function shorten(text: string, column: number): string {
  if (text.length <= MAX_LINE_CHARS) return text;
  const start = Math.max(0, Math.min(column - 1 - MAX_LINE_CHARS / 2, text.length - MAX_LINE_CHARS));
  return (
    (start > 0 ? "…" : "") +
    text.slice(start, start + MAX_LINE_CHARS) +
    (start + MAX_LINE_CHARS < text.length ? "…" : "")
  );
}
