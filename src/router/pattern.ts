// Route patterns, compiled once when a route is defined.
//
// String patterns follow Sinatra (Mustermann's "sinatra" type): `:name`, `*` and `*name`,
// `{name}`, `{+name}`, `{+splat}`, `{a|b}`, `?` (the preceding character or group is optional),
// `( )` groups, `|` alternatives, `\x` escapes; every other character is literal (so `.` and
// `+` are plain characters) and also matches its percent-encoded form.
//
// Params: captures are percent-decoded after matching, `params.splat` is an array in order,
// a name used twice gives an array (Mustermann rejects that pattern; Sinatra 1 collected
// arrays, and we keep the pattern usable), an optional capture that took no part is absent.
// RegExp routes must match the whole path; their groups land in `params.captures` in order
// (a group that took no part is ""), named groups also as `params.<name>`. A RegExp sees the same
// canonical path as a string pattern (percent.ts): escapes decoded except %2F, %25, %3F and %23,
// so `/%61dmin` is `/admin` to both, and a guard written either way sees what the routes see.
//
// Time: matching a string pattern is linear in the path's length, whatever the pattern. Patterns
// V8's backtracking engine runs in linear time (at most one capture or splat per segment, at
// most one splat and nothing dynamic after it, no groups, optionals or alternatives: the
// common `/users/:id/posts/*`) run on it; every other pattern runs on linear-match.ts, which
// cannot backtrack. A RegExp route runs as written on V8's engine: keeping it linear is its
// author's part.
//
// Malformed escapes: `match` never throws for a path that does not match. When a path
// matches but a captured value holds an escape that is not valid UTF-8 (`/%zz`, `/%C3`),
// `match` throws MalformedPathError, a URIError with `status` 400 — answer it with a 400.
import { compileNodes, type CaptureSlot } from "./compile.js";
import { LinearMatcher } from "./linear-match.js";
import { parsePattern, type PatternNode } from "./parse.js";
import { canonicalPath, decodeCapture, isPlainChar } from "./percent.js";
import { toRegExpSource } from "./regex-tree.js";

export { PatternError } from "./parse.js";
export { MalformedPathError } from "./percent.js";

export type RouteParams = Record<string, string | string[] | undefined> & { splat?: string[]; captures?: string[] };

export interface CompiledPattern {
  readonly source: string | RegExp;
  /** capture names in order of first appearance ("splat" for `*`; a RegExp's named groups) */
  readonly names: readonly string[];
  /** the exact path when the pattern has no dynamic part (without its trailing slash when strictPaths is off) */
  readonly literal: string | undefined;
  /** the fixed leading path segments (["api", "users"] for "/api/users/:id"); lets a router index routes */
  readonly prefixSegments: readonly string[];
  /** `path` is the raw, still percent-encoded pathname. Throws MalformedPathError only as described above. */
  match(path: string): RouteParams | null;
}

export interface PatternOptions {
  /** default true; when false a trailing slash is optional in both the pattern and the path */
  strictPaths?: boolean;
}

export function compilePattern(pattern: string | RegExp, options: PatternOptions = {}): CompiledPattern {
  return compileMatcher(pattern, options);
}

/** compilePattern, with the entry point a router uses to match a path prepared once per request. */
export function compileMatcher(pattern: string | RegExp, options: PatternOptions = {}): PreparedMatcher {
  const strictPaths = options.strictPaths ?? true;
  return typeof pattern === "string"
    ? new SinatraPattern(pattern, strictPaths)
    : new RegExpPattern(pattern, strictPaths);
}

/**
 * A pattern that can match a path already prepared once per request (see Router):
 * `canonical` is canonicalPath(path), without its trailing slash when strictPaths is off.
 */
export interface PreparedMatcher extends CompiledPattern {
  readonly strictPaths: boolean;
  matchPrepared(canonical: string): RouteParams | null;
}

/** The form of a path every pattern of one router matches against. */
export function preparePath(path: string, strictPaths: boolean): string {
  return canonicalPath(strictPaths ? path : withoutTrailingSlash(path));
}

function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.charCodeAt(path.length - 1) === 47 /* "/" */ ? path.slice(0, -1) : path;
}

class SinatraPattern implements PreparedMatcher {
  readonly names: readonly string[];
  readonly literal: string | undefined;
  readonly prefixSegments: readonly string[];
  private readonly regex: { exec(path: string): ArrayLike<string | undefined> | null } | undefined;
  private readonly slots: readonly CaptureSlot[];
  private readonly hasSplat: boolean;

  constructor(
    readonly source: string,
    readonly strictPaths: boolean,
  ) {
    let nodes = parsePattern(source);
    if (!strictPaths && nodes.length > 1 && nodes[nodes.length - 1].kind === "separator") nodes = nodes.slice(0, -1);
    this.literal = literalOf(nodes);
    this.prefixSegments = prefixSegmentsOf(nodes);
    const { tree, slots } = compileNodes(nodes);
    this.slots = slots;
    this.names = [...new Set(slots.map((slot) => slot.name))];
    this.hasSplat = this.names.includes("splat");
    if (this.literal !== undefined) this.regex = undefined;
    else if (backtracksLinearly(nodes)) this.regex = new RegExp(`^${toRegExpSource(tree)}`);
    else this.regex = new LinearMatcher(tree);
  }

  match(path: string): RouteParams | null {
    return this.matchPrepared(preparePath(path, this.strictPaths));
  }

  matchPrepared(canonical: string): RouteParams | null {
    if (this.regex === undefined) return canonical === this.literal ? {} : null;
    const found = this.regex.exec(canonical);
    if (found === null) return null;
    const params: RouteParams = {};
    if (this.hasSplat) params.splat = [];
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) {
      const value = found[i + 1];
      if (value === undefined) continue;
      const slot = slots[i];
      if (slot.array) ((params[slot.name] ??= []) as string[]).push(decodeCapture(value));
      else params[slot.name] = decodeCapture(value);
    }
    return params;
  }
}

class RegExpPattern implements PreparedMatcher {
  readonly names: readonly string[];
  readonly literal = undefined;
  readonly prefixSegments: readonly string[] = [];
  private readonly regex: RegExp;

  constructor(
    readonly source: RegExp,
    readonly strictPaths: boolean,
  ) {
    // Anchored like Mustermann's regexp patterns: the expression has to match the whole path.
    this.regex = new RegExp(`^(?:${source.source})$`, source.flags.replace(/[gy]/g, ""));
    // An alternative that matches "" makes the engine list every named group, in order.
    this.names = Object.keys(new RegExp(`${source.source}|`).exec("")?.groups ?? {});
  }

  match(path: string): RouteParams | null {
    return this.matchPrepared(preparePath(path, this.strictPaths));
  }

  /** A RegExp sees the canonical path, as string patterns do. */
  matchPrepared(canonical: string): RouteParams | null {
    const found = this.regex.exec(canonical);
    if (found === null) return null;
    const captures: string[] = [];
    for (let i = 1; i < found.length; i++) captures.push(found[i] === undefined ? "" : decodeCapture(found[i]));
    const params: RouteParams = { captures };
    if (found.groups) {
      for (const name of this.names) {
        const value = found.groups[name];
        if (value !== undefined) params[name] = decodeCapture(value);
      }
    }
    return params;
  }
}

/**
 * Whether V8's backtracking engine matches this pattern in linear time: only "/", characters,
 * captures and splats; at most one capture or splat per segment, so a capture can end at one
 * place only (the segment's end, less a literal suffix); at most one splat, and nothing dynamic
 * after it, so the splat's lazy scan tries each end once against literal text.
 */
function backtracksLinearly(nodes: readonly PatternNode[]): boolean {
  let dynamicInSegment = false;
  let afterSplat = false;
  for (const node of nodes) {
    if (node.kind === "separator") {
      dynamicInSegment = false;
      continue;
    }
    if (node.kind === "char") continue;
    if ((node.kind !== "capture" && node.kind !== "splat") || dynamicInSegment || afterSplat) return false;
    dynamicInSegment = true;
    afterSplat = node.kind === "splat";
  }
  return true;
}

/** The path itself when the pattern is nothing but "/" and plain characters. */
function literalOf(nodes: readonly PatternNode[]): string | undefined {
  let literal = "";
  for (const node of nodes) {
    if (node.kind === "separator") literal += "/";
    else if (node.kind === "char" && isPlainChar(node.char)) literal += node.char;
    else return undefined;
  }
  return literal;
}

/**
 * ["api", "users"] for `/api/users/:id`: the segments made of plain characters, each closed by a
 * "/" that is not optional, at the start of a pattern that has no top-level alternatives.
 */
function prefixSegmentsOf(nodes: readonly PatternNode[]): string[] {
  const segments: string[] = [];
  if (nodes[0]?.kind !== "separator") return segments;
  let segment = "";
  for (let i = 1; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.kind === "separator") {
      segments.push(segment);
      segment = "";
    } else if (node.kind === "char" && isPlainChar(node.char)) {
      segment += node.char;
    } else {
      break;
    }
  }
  return segments;
}
