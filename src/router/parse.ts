// Parses a Sinatra route pattern (Mustermann's "sinatra" syntax) into a small tree.
// The tree is turned into a regular expression by compile.ts; nothing here knows about regexes.

/** One element of a parsed pattern. Groups containing `|` become a `union`. */
export type PatternNode =
  | { readonly kind: "separator" }
  | { readonly kind: "char"; readonly char: string }
  | { readonly kind: "capture"; readonly name: string }
  /** `*` (name undefined: collected into params.splat) or `*name` / `{+name}` */
  | { readonly kind: "splat"; readonly name: string | undefined }
  | { readonly kind: "group"; readonly items: readonly PatternNode[] }
  | { readonly kind: "union"; readonly alternatives: readonly (readonly PatternNode[])[] }
  | { readonly kind: "optional"; readonly node: PatternNode };

/** A malformed pattern. Thrown when the route is defined, never while matching. */
export class PatternError extends Error {
  readonly pattern: string;
  /** zero-based position in the pattern where parsing stopped */
  readonly index: number;

  constructor(reason: string, pattern: string, index: number) {
    super(`${reason} at index ${index} of pattern ${JSON.stringify(pattern)}\n  ${pattern}\n  ${" ".repeat(index)}^`);
    this.name = "PatternError";
    this.pattern = pattern;
    this.index = index;
  }
}

const WORD = /[A-Za-z0-9_]/;
const BRACE_NAME = /[A-Za-z0-9_.]/;
/** marks a top-level `|` while a sequence is read; removed before the tree is returned */
const OR = Symbol("or");

export function parsePattern(pattern: string): PatternNode[] {
  return new Parser(pattern).parseRoot();
}

class Parser {
  private pos = 0;

  constructor(private readonly pattern: string) {}

  parseRoot(): PatternNode[] {
    const items = this.readSequence(false);
    return this.unionOf(items);
  }

  /** Reads elements until the end (root) or a closing parenthesis (group). */
  private readSequence(inGroup: boolean): (PatternNode | typeof OR)[] {
    const items: (PatternNode | typeof OR)[] = [];
    const opened = this.pos - 1;
    for (;;) {
      if (this.pos >= this.pattern.length) {
        if (inGroup) this.fail(`unclosed "(" opened at index ${opened}`, this.pos);
        return items;
      }
      if (inGroup && this.pattern[this.pos] === ")") {
        this.pos++;
        return items;
      }
      items.push(this.readElement());
    }
  }

  private readElement(): PatternNode | typeof OR {
    const start = this.pos;
    const char = this.pattern[this.pos++];
    let node: PatternNode;
    switch (char) {
      case "?":
      case ")":
        return this.fail(`unexpected "${char}"`, start);
      case "|":
        return OR;
      case "*": {
        const name = this.scan(WORD);
        node = { kind: "splat", name: name === "" ? undefined : this.checkName(name, start, ["captures"]) };
        break;
      }
      case ":":
        node = { kind: "capture", name: this.checkName(this.scan(WORD), start, ["captures", "splat"]) };
        break;
      case "\\":
        if (this.pos >= this.pattern.length) this.fail('nothing to escape after "\\"', start);
        node = { kind: "char", char: this.readCodePoint() };
        break;
      case "(":
        node = { kind: "group", items: this.unionOf(this.readSequence(true)) };
        break;
      case "{":
        node = this.readBraces(start);
        break;
      case "/":
        node = { kind: "separator" };
        break;
      default:
        this.pos = start;
        node = { kind: "char", char: this.readCodePoint() };
    }
    if (this.pattern[this.pos] === "?") {
      this.pos++;
      node = node.kind === "optional" ? node : { kind: "optional", node };
    }
    return node;
  }

  /** `{name}`, `{+name}`, `{+splat}` and `{a|b}` (alternative captures). */
  private readBraces(start: number): PatternNode {
    const plus = this.pattern[this.pos] === "+";
    if (plus) this.pos++;
    const names = [this.expectName(start)];
    while (!plus && this.pattern[this.pos] === "|") {
      this.pos++;
      names.push(this.expectName(start));
    }
    if (this.pattern[this.pos] !== "}") this.fail(`expected "}" to close "{"`, this.pos);
    this.pos++;
    if (plus) {
      const name = names[0];
      return { kind: "splat", name: name === "splat" ? undefined : this.checkName(name, start, ["captures"]) };
    }
    if (names.length === 1) return { kind: "capture", name: this.checkName(names[0], start, ["captures", "splat"]) };
    const alternatives = names.map((name) => [
      { kind: "capture", name: this.checkName(name, start, ["captures", "splat"]) } as const,
    ]);
    return { kind: "group", items: [{ kind: "union", alternatives }] };
  }

  private expectName(start: number): string {
    const name = this.scan(BRACE_NAME);
    if (name === "") this.fail(`expected a name after "{"`, this.pos === this.pattern.length ? this.pos : start);
    return name;
  }

  private checkName(name: string, start: number, forbidden: readonly string[]): string {
    if (name === "") this.fail(`capture name can't be empty after "${this.pattern[start]}"`, start);
    if (!/^[a-z_]/.test(name))
      this.fail(`capture name "${name}" must start with a lower case letter or underscore`, start);
    if (forbidden.includes(name)) this.fail(`capture name can't be "${name}"`, start);
    return name;
  }

  private scan(allowed: RegExp): string {
    const from = this.pos;
    while (this.pos < this.pattern.length && allowed.test(this.pattern[this.pos])) this.pos++;
    return this.pattern.slice(from, this.pos);
  }

  /** One character, keeping surrogate pairs (emoji, rare scripts) whole. */
  private readCodePoint(): string {
    const char = String.fromCodePoint(this.pattern.codePointAt(this.pos)!);
    this.pos += char.length;
    return char;
  }

  /** Splits a sequence at its `|` markers; with none it stays a plain sequence. */
  private unionOf(items: (PatternNode | typeof OR)[]): PatternNode[] {
    if (!items.includes(OR)) return items as PatternNode[];
    const alternatives: PatternNode[][] = [[]];
    for (const item of items) {
      if (item === OR) alternatives.push([]);
      else alternatives[alternatives.length - 1].push(item);
    }
    return [{ kind: "union", alternatives }];
  }

  private fail(reason: string, index: number): never {
    throw new PatternError(reason, this.pattern, index);
  }
}
