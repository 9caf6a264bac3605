// Turns a parsed Sinatra pattern into a regex tree (regex-tree.ts) over the canonical path
// (see percent.ts), following Mustermann's rules:
// - `:name` captures one or more characters other than "/", "?" and "#", greedily;
// - splats capture anything, as little as possible;
// - a capture followed only by optional or grouped parts that could start with a literal
//   (`:name(.:format)?`) is "semi-greedy": it stops before the last place where the rest of
//   the pattern could still match, so "/a.b.json" gives name "a.b" and format "json".
import type { PatternNode } from "./parse.js";
import { literalChar } from "./percent.js";
import {
  ANY_CHAR,
  alternatives,
  canBeEmpty,
  capture,
  END,
  noneOf,
  notAhead,
  optional,
  type RegexTree,
  repeat,
  sequence,
  text,
} from "./regex-tree.js";

/** What one capturing group of the compiled regex holds. */
export interface CaptureSlot {
  readonly name: string;
  /** true for `*` splats and names used more than once: the value is collected into an array */
  readonly array: boolean;
}

export interface CompiledTree {
  /** the whole pattern, up to the end of the path (matching starts at the path's start) */
  readonly tree: RegexTree;
  readonly slots: readonly CaptureSlot[];
}

const SEGMENT_CHAR = noneOf("/?#");

/** A capture whose end is decided by a look-ahead at the parts following it. */
interface LookAhead {
  readonly kind: "lookahead";
  readonly head: PatternNode;
  readonly tail: readonly PatternNode[];
  readonly atEnd: boolean;
}

interface Options {
  /** what the capture must not stand before, so later parts can still match */
  readonly lookahead?: RegexTree;
  readonly greedy: boolean;
  /** inside a look-ahead: nothing captures */
  readonly capturing: boolean;
}

export function compileNodes(nodes: readonly PatternNode[]): CompiledTree {
  const names: string[] = [];
  const tree = sequence([new Translator(names).sequence(nodes, { greedy: true, capturing: true }), END]);
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  const slots = names.map((name) => ({ name, array: name === "splat" || counts.get(name)! > 1 }));
  return { tree, slots };
}

class Translator {
  constructor(private readonly names: string[]) {}

  sequence(nodes: readonly PatternNode[], options: Options): RegexTree {
    return sequence(
      withLookAheads(nodes).map((unit) =>
        unit.kind === "lookahead" ? this.lookAhead(unit, options) : this.node(unit, options),
      ),
    );
  }

  private node(node: PatternNode, options: Options): RegexTree {
    switch (node.kind) {
      case "separator":
        return text("/");
      case "char":
        return literalChar(node.char);
      case "capture": {
        const char =
          options.lookahead === undefined ? SEGMENT_CHAR : sequence([notAhead(options.lookahead), SEGMENT_CHAR]);
        return this.capture(repeat(char, 1, options.greedy), node.name, options);
      }
      case "splat":
        return this.capture(repeat(ANY_CHAR, 0, false), node.name ?? "splat", options);
      case "group":
        return this.sequence(node.items, options);
      case "union":
        return alternatives(node.alternatives.map((alternative) => this.sequence(alternative, options)));
      case "optional": {
        // `*?` or `(:a?)?`: optional already. A regex engine skips an optional part that matched
        // nothing (its captures left unset); here it simply matches nothing, as `*` alone does.
        const inner = this.node(node.node, options);
        return canBeEmpty(inner) ? inner : optional(inner);
      }
    }
  }

  private capture(inner: RegexTree, name: string, options: Options): RegexTree {
    if (!options.capturing) return inner;
    this.names.push(name);
    return capture(inner);
  }

  private lookAhead(unit: LookAhead, options: Options): RegexTree {
    // The look-ahead is the tail with every optional part required and every capture lazy,
    // each capture in turn kept from running into what precedes it in the look-ahead.
    const ahead: RegexTree[] = [];
    for (const leaf of unit.tail.flatMap(leaves)) {
      ahead.push(this.node(leaf, { lookahead: sequence([...ahead]), greedy: false, capturing: false }));
    }
    ahead.push(unit.atEnd ? END : text("/"));
    const head = this.node(unit.head, { ...options, lookahead: sequence(ahead) });
    return sequence([head, ...unit.tail.map((node) => this.node(node, options))]);
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
