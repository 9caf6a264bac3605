// Reads untrusted YAML the way kubectl does, in time linear in the input: every step walks
// each node once, with no recursion deeper than MAX_NESTING_DEPTH.
//
// The `yaml` package lexes and parses; the conversion to plain values is done here because
// its own (toJS) looks anchors up by scanning every earlier anchor and alias, and checks
// duplicate keys by scanning the map: both quadratic. Here anchors are a Map and keys a Set.
import {
  type CST,
  Composer,
  type Document,
  Lexer,
  LineCounter,
  type Node,
  Parser,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
} from "yaml";

/**
 * Deeper than any manifest (CRD schemas reach about 40 levels), and far enough below the
 * depth at which the YAML composer's recursion exhausts Node's default stack (about 780).
 */
export const MAX_NESTING_DEPTH = 200;

/**
 * Quoted strings that YAML 1.2 refuses for their indentation are repaired one at a time, each
 * repair costing a new parse: at most this many, and at most this much text parsed in all, so
 * the work stays linear in the input.
 */
const MAX_QUOTE_REPAIRS = 50;
const REPAIR_BUDGET = (length: number) => 3 * length + 256 * 1024;

export interface YamlDocument {
  /** The document as plain values: objects (null-prototype), arrays, strings, numbers, booleans, null. */
  value: unknown;
  /** The syntax tree, to find the line of a field. */
  tree: Document;
}

export interface YamlReadError {
  line: number;
  column: number;
  reason: string;
}

export type YamlReadResult =
  | { ok: true; documents: YamlDocument[]; lineCounter: LineCounter }
  | { ok: false; error: YamlReadError };

export function readYamlDocuments(text: string): YamlReadResult {
  let source = text;
  let firstError: YamlReadError | undefined;
  let parsed = 0;
  for (let repairs = 0; ; repairs++) {
    const result = readOnce(source);
    if (result.ok) return result;
    firstError ??= result.error;
    parsed += source.length;
    // kubectl's reader (go-yaml) accepts a multi-line quoted string whose continuation lines
    // are indented no deeper than its key; YAML 1.2 does not. Leading white space of a
    // continuation line is not part of the value, so indenting those lines changes nothing
    // but the verdict of the stricter parser.
    const withinBudget = repairs < MAX_QUOTE_REPAIRS && parsed + source.length <= REPAIR_BUDGET(text.length);
    const repaired = withinBudget && result.quoteAt !== undefined ? reindentQuoted(source, result.quoteAt) : undefined;
    if (repaired === undefined) return { ok: false, error: firstError };
    source = repaired;
  }
}

type ReadOnce =
  | { ok: true; documents: YamlDocument[]; lineCounter: LineCounter }
  | { ok: false; error: YamlReadError; quoteAt?: number };

function readOnce(text: string): ReadOnce {
  const lineCounter = new LineCounter();
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: col };
  };
  // The lexer is cheap; the parser spends about ten times as long on each level of nesting, so
  // an input nested far too deep is refused from the lexer's tokens before the parser sees it.
  const lexedTooDeep = offsetBeyondDepthInTokens(text);
  if (lexedTooDeep !== undefined) {
    const line = text.slice(0, lexedTooDeep).split("\n").length;
    const column = lexedTooDeep - text.lastIndexOf("\n", lexedTooDeep - 1);
    return { ok: false, error: { line, column, reason: `nested more than ${MAX_NESTING_DEPTH} levels deep` } };
  }
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  for (const token of tokens) {
    const tooDeep = offsetBeyondDepth(token);
    if (tooDeep !== undefined) {
      return {
        ok: false,
        error: { ...position(tooDeep), reason: `nested more than ${MAX_NESTING_DEPTH} levels deep` },
      };
    }
  }
  // YAML 1.1, as kubectl reads it: merge keys (<<), and yes/no/on/off are booleans.
  const composer = new Composer({ version: "1.1", uniqueKeys: false, prettyErrors: false });
  const trees = [...composer.compose(tokens, false, text.length)];
  const documents: YamlDocument[] = [];
  for (const tree of trees) {
    const [error] = tree.errors;
    if (error) {
      const quoted = /^Missing closing (['"])quote/.exec(error.message);
      return {
        ok: false,
        error: { ...position(error.pos[0]), reason: firstLine(error.message) },
        quoteAt: quoted ? quotedScalarAt(tokens, error.pos[0]) : undefined,
      };
    }
    const converted = new Converter().document(tree);
    if (converted instanceof ConversionError) {
      const earlier = converted.earlierOffset === undefined ? "" : ` at line ${position(converted.earlierOffset).line}`;
      return {
        ok: false,
        error: { ...position(converted.offset), reason: converted.reason.replace("{earlier}", earlier) },
      };
    }
    documents.push({ value: converted.value, tree });
  }
  return { ok: true, documents, lineCounter };
}

/**
 * Where flow collections ([ {) nest deeper than MAX_NESTING_DEPTH, or one line opens more block
 * collections (- - -, a: b: c:) than that. Block scalars and quoted strings are single tokens,
 * so brackets inside them do not count. The exact depth is measured on the parsed tree after.
 */
function offsetBeyondDepthInTokens(text: string): number | undefined {
  let offset = 0;
  let flow = 0;
  let onLine = 0;
  for (const token of new Lexer().lex(text)) {
    // \x02 (document), \x1f (scalar) and \x18 (flow error) mark positions and take no text.
    if (token === "\u0002" || token === "\u001f" || token === "\u0018") continue;
    const start = offset;
    offset += token.length;
    if (token === "[" || token === "{") {
      if (++flow > MAX_NESTING_DEPTH) return start;
    } else if (token === "]" || token === "}") {
      if (flow > 0) flow--;
    } else if (token.includes("\n")) {
      onLine = 0;
    } else if (flow === 0 && (token === "-" || token === "?" || token === ":")) {
      if (++onLine > MAX_NESTING_DEPTH) return start;
    }
  }
  return undefined;
}

/** The offset of the first collection nested deeper than MAX_NESTING_DEPTH. */
function offsetBeyondDepth(root: CST.Token): number | undefined {
  let found: number | undefined;
  walkTokens(root, (token, depth) => {
    if (depth > MAX_NESTING_DEPTH) found ??= token.offset;
    return found === undefined;
  });
  return found;
}

/** The opening quote of the quoted scalar the parser cut short at `offset`. */
function quotedScalarAt(tokens: readonly CST.Token[], offset: number): number | undefined {
  let found: number | undefined;
  for (const root of tokens) {
    walkTokens(root, (token) => {
      const quoted = token.type === "single-quoted-scalar" || token.type === "double-quoted-scalar";
      if (quoted && token.offset < offset && offset <= token.offset + token.source.length) found = token.offset;
      return found === undefined;
    });
  }
  return found;
}

/** Visits every value token with its collection depth, without recursion; stops when visit says false. */
function walkTokens(root: CST.Token, visit: (token: CST.Token, depth: number) => boolean): void {
  const stack: Array<{ token: CST.Token; depth: number }> = [{ token: root, depth: 0 }];
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    const isCollection = token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection";
    const tokenDepth = isCollection ? depth + 1 : depth;
    if (!visit(token, tokenDepth)) return;
    if (token.type === "document" && token.value) stack.push({ token: token.value, depth });
    if (!isCollection) continue;
    for (const item of token.items) {
      if (item.key) stack.push({ token: item.key, depth: tokenDepth });
      if (item.value) stack.push({ token: item.value, depth: tokenDepth });
    }
  }
}

/** Indents every continuation line of the quoted string starting at `start`; undefined when it never closes. */
function reindentQuoted(text: string, start: number): string | undefined {
  const quote = text[start]!;
  let end = start + 1;
  for (; end < text.length; end++) {
    const char = text[end];
    if (quote === "'" && char === "'") {
      if (text[end + 1] === "'") end++;
      else break;
    } else if (quote === '"' && char === "\\") {
      end++;
    } else if (quote === '"' && char === '"') {
      break;
    }
  }
  if (end >= text.length) return undefined;
  const lineStart = text.lastIndexOf("\n", start) + 1;
  const keyIndent = /^ */.exec(text.slice(lineStart, start))![0].length;
  const pad = " ".repeat(keyIndent + 2);
  const inside = text.slice(start, end).replaceAll("\n", `\n${pad}`);
  return text.slice(0, start) + inside + text.slice(end);
}

/**
 * go-yaml's guard against alias bombs (kubectl's reader since CVE-2019-11253): a document may
 * consist almost wholly of alias expansions while small, and less and less so as it grows.
 */
function allowedAliasRatio(decodes: number): number {
  if (decodes <= 400_000) return 0.99;
  if (decodes >= 4_000_000) return 0.1;
  return 0.99 - (0.89 * (decodes - 400_000)) / 3_600_000;
}

interface Converted {
  value: unknown;
  /** Nodes a reader that copies every alias would decode for this node. */
  expanded: number;
}

class ConversionError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
    /** For a repeated key: where it was first defined, to name its line. */
    readonly earlierOffset?: number,
  ) {
    super(reason);
  }
}

/** Plain values from one document's tree, each node visited once; aliases share the anchor's value. */
class Converter {
  private readonly anchors = new Map<string, Converted>();
  private decodes = 0;
  private aliasDecodes = 0;

  /** The document's value, or the ConversionError that makes it unreadable. */
  document(tree: Document): { value: unknown } | ConversionError {
    try {
      return { value: tree.contents ? this.node(tree.contents as Node).value : null };
    } catch (error) {
      if (error instanceof ConversionError) return error;
      throw error;
    }
  }

  private node(node: Node): Converted {
    if (isAlias(node)) return this.alias(node.source, offsetOf(node));
    this.decodes++;
    let converted: Converted;
    if (isScalar(node)) {
      converted = { value: scalarValue(node.value, node.source), expanded: 1 };
    } else if (isSeq(node)) {
      const values: unknown[] = [];
      let expanded = 1;
      for (const item of node.items) {
        const child = this.node(item as Node);
        values.push(child.value);
        expanded += child.expanded;
      }
      converted = { value: values, expanded };
    } else if (isMap(node)) {
      converted = this.map(node.items, offsetOf(node));
    } else {
      converted = { value: null, expanded: 1 };
    }
    if (node.anchor) this.anchors.set(node.anchor, converted);
    return converted;
  }

  private map(pairs: readonly unknown[], offset: number): Converted {
    const object: Record<string, unknown> = Object.create(null);
    const keyOffsets = new Map<string, number>();
    let expanded = 1;
    const merges: unknown[] = [];
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const pairOffset = keyNode ? offsetOf(keyNode) : offset;
      if (isScalar(keyNode) && typeof keyNode.value === "symbol") {
        // A merge key: `<<: *defaults` or `<<: [*a, *b]`; keys of the map itself win.
        const merged = pair.value ? this.node(pair.value as Node) : { value: null, expanded: 1 };
        expanded += merged.expanded + 1;
        merges.push(...(Array.isArray(merged.value) ? merged.value : [merged.value]));
        continue;
      }
      if (keyNode && !isScalar(keyNode)) {
        throw new ConversionError(pairOffset, "a map key that is a collection or an alias, which kubectl cannot read");
      }
      const key = keyNode ? String(scalarValue(keyNode.value, keyNode.source)) : "null";
      const earlier = keyOffsets.get(key);
      if (earlier !== undefined) {
        throw new ConversionError(
          pairOffset,
          `mapping key "${key}" already defined{earlier}: kubectl refuses a repeated key too`,
          earlier,
        );
      }
      keyOffsets.set(key, pairOffset);
      this.decodes += pair.value ? 1 : 2; // the key, and an empty value
      const value = pair.value ? this.node(pair.value as Node) : { value: null, expanded: 1 };
      object[key] = value.value;
      expanded += 1 + value.expanded;
    }
    // Earlier merged maps win over later ones, as in YAML 1.1's merge key.
    for (const merged of merges) {
      if (typeof merged !== "object" || merged === null || Array.isArray(merged)) {
        throw new ConversionError(offset, "a merge key (<<) whose value is not a map");
      }
      for (const [key, value] of Object.entries(merged)) if (!(key in object)) object[key] = value;
    }
    return { value: object, expanded };
  }

  private alias(name: string, offset: number): Converted {
    const target = this.anchors.get(name);
    if (!target) throw new ConversionError(offset, `alias *${name} has no anchor &${name} before it`);
    this.decodes += 1 + target.expanded;
    this.aliasDecodes += target.expanded;
    const tooMuch =
      !Number.isFinite(this.decodes) ||
      (this.aliasDecodes > 100 &&
        this.decodes > 1000 &&
        this.aliasDecodes / this.decodes > allowedAliasRatio(this.decodes));
    if (tooMuch) {
      throw new ConversionError(
        offset,
        "aliases expand to far more than the document holds (an alias bomb); kubectl refuses it too",
      );
    }
    return { value: target.value, expanded: 1 + target.expanded };
  }
}

function offsetOf(node: Node): number {
  return node.range?.[0] ?? 0;
}

/** Dates, binary and big integers of YAML 1.1 are kept as the text they were written as. */
function scalarValue(value: unknown, source: unknown): unknown {
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return value;
  return typeof source === "string" ? source : String(value);
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
