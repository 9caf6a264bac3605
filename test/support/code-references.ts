// References from a Markdown document to lines of code, and whether each still holds.
//
// A reference is written  [`serve.ts:103`](../src/server/serve.ts#L103) `servedHandler`:
// the file's name and line as the link text, the path relative to the document with `#L` and
// the same line as the target, then the symbol that line holds. Code moves; the check says
// which references went stale and where their symbol is now, so they can be fixed by hand.
import { existsSync, readFileSync } from "node:fs";
import { basename, join, posix } from "node:path";

export interface CodeReference {
  /** Line of the document the reference is on (1-based). */
  docLine: number;
  /** The reference as written. */
  text: string;
  /** The link text's file name and line. */
  labelFile: string;
  labelLine: number;
  /** The target's path, relative to the repository root, and its line. */
  path: string;
  line: number;
  symbol: string;
}

/** How far from the written line the symbol may be: a line added or removed nearby is not news. */
export const LINE_TOLERANCE = 2;

const REFERENCE = /\[`([^`\s]+):(\d+)`\]\(([^)\s#]+)#L(\d+)\)[ \t]+`([^`]+)`/g;
/** Anything that looks like a line reference, written in the form above or not. */
const LINE_MENTION = /[\w.-]+\.(?:ts|mts|js|mjs)(?::\d+|#L\d+)/g;

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The references in `markdown`, and every line mention not written as a reference (which the
 * check could not keep honest). `docDir` is the document's folder relative to the root ("docs").
 */
export function findReferences(
  markdown: string,
  docDir: string,
): { references: CodeReference[]; unreadable: Array<{ docLine: number; text: string }> } {
  const references: CodeReference[] = [];
  const covered: Array<[number, number]> = [];
  for (const match of markdown.matchAll(REFERENCE)) {
    const [text, labelFile, labelLine, target, line, symbol] = match;
    references.push({
      docLine: lineOf(markdown, match.index),
      text,
      labelFile,
      labelLine: Number(labelLine),
      path: posix.normalize(posix.join(docDir, target)),
      line: Number(line),
      symbol,
    });
    covered.push([match.index, match.index + text.length]);
  }
  const unreadable: Array<{ docLine: number; text: string }> = [];
  for (const match of markdown.matchAll(LINE_MENTION)) {
    const inside = covered.some(([start, end]) => match.index >= start && match.index < end);
    if (!inside) unreadable.push({ docLine: lineOf(markdown, match.index), text: match[0] });
  }
  return { references, unreadable };
}

function written(reference: CodeReference, line: number): string {
  return `[\`${basename(reference.path)}:${line}\`](${reference.text.match(/\]\(([^)#]+)#/)?.[1]}#L${line}) \`${reference.symbol}\``;
}

/** What is wrong with one reference, with what to do about it; undefined when it holds. */
export function checkReference(reference: CodeReference, root: string, docName: string): string | undefined {
  const where = `${docName}:${reference.docLine}: ${reference.text}`;
  const file = join(root, reference.path);
  if (!existsSync(file)) {
    return `${where}\n  ${reference.path} does not exist. Find where this step lives now and rewrite the reference (and the sentence around it).`;
  }
  if (reference.labelFile !== basename(reference.path) || reference.labelLine !== reference.line) {
    return `${where}\n  the link text (${reference.labelFile}:${reference.labelLine}) and the target (${reference.path}#L${reference.line}) disagree. Write ${written(reference, reference.line)}.`;
  }
  const lines = readFileSync(file, "utf8").split("\n");
  const from = Math.max(0, reference.line - 1 - LINE_TOLERANCE);
  const to = Math.min(lines.length, reference.line + LINE_TOLERANCE);
  for (let i = from; i < to; i++) if (lines[i].includes(reference.symbol)) return undefined;

  const now: number[] = [];
  lines.forEach((text, i) => {
    if (text.includes(reference.symbol)) now.push(i + 1);
  });
  if (now.length === 0) {
    return `${where}\n  ${reference.path} no longer contains \`${reference.symbol}\` at all. Find where this step went and rewrite the reference (and the sentence around it).`;
  }
  const nearest = now.reduce((best, line) =>
    Math.abs(line - reference.line) < Math.abs(best - reference.line) ? line : best,
  );
  const others =
    now.length > 1
      ? ` (it is on lines ${now.slice(0, 8).join(", ")}${now.length > 8 ? "…" : ""}: pick the one this step means)`
      : "";
  return `${where}\n  line ${reference.line} (±${LINE_TOLERANCE}) of ${reference.path} no longer contains \`${reference.symbol}\`${others}. Write ${written(reference, nearest)}.`;
}

/** Every problem of the document at `docPath` (relative to `root`), each a message that says what to fix. */
export function checkDocument(root: string, docPath: string, markdown = readFileSync(join(root, docPath), "utf8")) {
  const { references, unreadable } = findReferences(markdown, posix.dirname(docPath));
  const problems = references
    .map((reference) => checkReference(reference, root, docPath))
    .filter((problem): problem is string => problem !== undefined);
  for (const { docLine, text } of unreadable) {
    problems.push(
      `${docPath}:${docLine}: ${text} is not written as [\`file.ts:N\`](../src/path/file.ts#LN) \`symbol\`, so nothing keeps it true. Write it that way.`,
    );
  }
  return { references, problems };
}
