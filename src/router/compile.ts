// Turns a parsed Sinatra pattern into a regular expression over the canonical path
// (see percent.ts), following Mustermann's rules:
// - `:name` captures one or more characters other than "/", "?" and "#", greedily;
// - splats capture anything, as little as possible;
// - a capture followed only by optional or grouped parts that could start with a literal
//   (`:name(.:format)?`) is "semi-greedy": it stops before the last place where the rest of
//   the pattern could still match, so "/a.b.json" gives name "a.b" and format "json".
import type { PatternNode } from "./parse.js";
import { literalCharSource } from "./percent.js";

/** What one capturing group of the compiled regex holds. */
export interface CaptureSlot {
  readonly name: string;
  /** true for `*` splats and names used more than once: the value is collected into an array */
  readonly array: boolean;
}

export interface CompiledSource {
  readonly source: string;
  readonly slots: readonly CaptureSlot[];
}

const SEGMENT_CHAR = "[^/?#]";

/** A capture whose end is decided by a look-ahead at the parts following it. */
interface LookAhead {
  readonly kind: "lookahead";
  readonly head: PatternNode;
  readonly tail: readonly PatternNode[];
  readonly atEnd: boolean;
}

interface Options {
  /** regex the capture must not stand before, so later parts can still match */
  readonly lookahead?: string;
  readonly greedy: boolean;
  /** inside a look-ahead: nothing captures */
  readonly capturing: boolean;
}

export function compileNodes(nodes: readonly PatternNode[]): CompiledSource {
  const names: string[] = [];
  const source = new Translator(names).sequence(nodes, { greedy: true, capturing: true });
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  const slots = names.map((name) => ({ name, array: name === "splat" || counts.get(name)! > 1 }));
  return { source, slots };
}

class Translator {
  constructor(private readonly names: string[]) {}

  sequence(nodes: readonly PatternNode[], options: Options): string {
    let source = "";
    for (const unit of withLookAheads(nodes)) {
      source += unit.kind === "lookahead" ? this.lookAhead(unit, options) : this.node(unit, options);
    }
    return source;
  }

  private node(node: PatternNode, options: Options): string {
    switch (node.kind) {
      case "separator":
        return "\\/";
      case "char":
        return literalCharSource(node.char);
      case "capture": {
        const char = options.lookahead === undefined ? SEGMENT_CHAR : `(?:(?!${options.lookahead})${SEGMENT_CHAR})`;
        return this.capture(`${char}+${options.greedy ? "" : "?"}`, node.name, options);
      }
      case "splat":
        return this.capture("[\\s\\S]*?", node.name ?? "splat", options);
      case "group":
        return this.sequence(node.items, options);
      case "union":
        return `(?:${node.alternatives.map((alternative) => `(?:${this.sequence(alternative, options)})`).join("|")})`;
      case "optional":
        return `(?:${this.node(node.node, options)})?`;
    }
  }

  private capture(inner: string, name: string, options: Options): string {
    if (!options.capturing) return inner;
    this.names.push(name);
    return `(${inner})`;
  }

  private lookAhead(unit: LookAhead, options: Options): string {
    // The look-ahead is the tail with every optional part required and every capture lazy,
    // each capture in turn kept from running into what precedes it in the look-ahead.
    let ahead = "";
    for (const leaf of unit.tail.flatMap(leaves)) {
      ahead += this.node(leaf, { lookahead: ahead, greedy: false, capturing: false });
    }
    ahead += unit.atEnd ? "$" : "\\/";
    const head = this.node(unit.head, { ...options, lookahead: ahead });
    return head + unit.tail.map((node) => this.node(node, options)).join("");
  }
}

/** Groups a capture with the optional/grouped parts after it that decide where it ends. */
function withLookAheads(nodes: readonly PatternNode[]): (PatternNode | LookAhead)[] {
  const out: (PatternNode | LookAhead)[] = [];
  let buffer: PatternNode[] = [];
  const flush = (atEnd: boolean) => {
    if (buffer.length > 1) out.push({ kind: "lookahead", head: buffer[0], tail: buffer.slice(1), atEnd });
    else out.push(...buffer);
    buffer = [];
  };
  for (const node of nodes) {
    if (buffer.length === 0) {
      if (expectsLookAhead(node)) buffer.push(node);
      else out.push(node);
    } else if (fitsLookAhead(node, false)) {
      buffer.push(node);
    } else {
      // Only a "/" bounds the look-ahead; anything else ends it with no look-ahead at all.
      if (node.kind === "separator") flush(false);
      else out.push(...buffer.splice(0));
      out.push(node);
    }
  }
  flush(true);
  return out;
}

/** A plain capture, or a group made only of plain captures. */
function expectsLookAhead(node: PatternNode | undefined): boolean {
  if (node === undefined) return false;
  if (node.kind === "group") return node.items.every(expectsLookAhead);
  return node.kind === "capture";
}

function fitsLookAhead(node: PatternNode | undefined, optionalContext: boolean): boolean {
  if (node === undefined) return false;
  switch (node.kind) {
    case "char":
      return optionalContext;
    case "group": {
      const items = node.items;
      const last = items[items.length - 1];
      return (
        items.slice(0, -1).every((item) => fitsLookAhead(item, optionalContext)) &&
        (expectsLookAhead(last) || fitsLookAhead(last, optionalContext))
      );
    }
    case "optional":
      return fitsLookAhead(node.node, true) || expectsLookAhead(node.node);
    default:
      return false;
  }
}

function leaves(node: PatternNode): PatternNode[] {
  switch (node.kind) {
    case "group":
      return node.items.flatMap(leaves);
    case "optional":
      return leaves(node.node);
    case "union":
      return node.alternatives.flat().flatMap(leaves);
    default:
      return [node];
  }
}
