// The small regular-expression language route patterns compile to (see compile.ts): literal
// text, character sets, sequences, prioritised alternatives, optional parts, repetition (greedy
// or lazy) of parts that always consume input, captures, negative look-ahead and the end of the
// path. No back-references, no look-behind, no empty loops: every tree can run on V8's engine
// (`toRegExpSource`) and on the linear-time matcher (linear-match.ts), with the same result.

export type RegexTree =
  | { readonly kind: "text"; readonly text: string }
  /** one UTF-16 code unit: in `chars`, or (negated) not in `chars` */
  | { readonly kind: "set"; readonly chars: string; readonly negated: boolean }
  | { readonly kind: "sequence"; readonly items: readonly RegexTree[] }
  /** the first alternative that leads to a match wins, as in a backtracking engine */
  | { readonly kind: "alternatives"; readonly options: readonly RegexTree[] }
  | { readonly kind: "optional"; readonly item: RegexTree }
  | { readonly kind: "repeat"; readonly item: RegexTree; readonly min: 0 | 1; readonly greedy: boolean }
  | { readonly kind: "capture"; readonly item: RegexTree }
  | { readonly kind: "notAhead"; readonly item: RegexTree }
  | { readonly kind: "end" };

export const text = (value: string): RegexTree => ({ kind: "text", text: value });
export const oneOf = (chars: string): RegexTree => ({ kind: "set", chars, negated: false });
export const noneOf = (chars: string): RegexTree => ({ kind: "set", chars, negated: true });
export const ANY_CHAR = noneOf("");
export const sequence = (items: readonly RegexTree[]): RegexTree =>
  items.length === 1 ? items[0] : { kind: "sequence", items };
export const alternatives = (options: readonly RegexTree[]): RegexTree =>
  options.length === 1 ? options[0] : { kind: "alternatives", options };
export const optional = (item: RegexTree): RegexTree => ({ kind: "optional", item });
export const repeat = (item: RegexTree, min: 0 | 1, greedy: boolean): RegexTree => {
  if (canBeEmpty(item)) throw new Error("a repeated part must consume input");
  return { kind: "repeat", item, min, greedy };
};
export const capture = (item: RegexTree): RegexTree => ({ kind: "capture", item });
export const notAhead = (item: RegexTree): RegexTree => ({ kind: "notAhead", item });
export const END: RegexTree = { kind: "end" };

/** Whether the tree can match without consuming a character. */
export function canBeEmpty(tree: RegexTree): boolean {
  switch (tree.kind) {
    case "text":
      return tree.text === "";
    case "set":
      return false;
    case "sequence":
      return tree.items.every(canBeEmpty);
    case "alternatives":
      return tree.options.some(canBeEmpty);
    case "repeat":
      return tree.min === 0 || canBeEmpty(tree.item);
    case "capture":
      return canBeEmpty(tree.item);
    default:
      return true;
  }
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;
const SET_SPECIAL = /[\\\]^-]/g;

/** The same language as a JavaScript regular expression source (no flags needed). */
export function toRegExpSource(tree: RegexTree): string {
  switch (tree.kind) {
    case "text":
      return tree.text.replace(REGEX_SPECIAL, "\\$&");
    case "set":
      if (tree.negated && tree.chars === "") return "[\\s\\S]";
      return `[${tree.negated ? "^" : ""}${tree.chars.replace(SET_SPECIAL, "\\$&")}]`;
    case "sequence":
      return tree.items.map(toRegExpSource).join("");
    case "alternatives":
      return `(?:${tree.options.map(toRegExpSource).join("|")})`;
    case "optional":
      return `(?:${toRegExpSource(tree.item)})?`;
    case "repeat":
      return `(?:${toRegExpSource(tree.item)})${tree.min === 0 ? "*" : "+"}${tree.greedy ? "" : "?"}`;
    case "capture":
      return `(${toRegExpSource(tree.item)})`;
    case "notAhead":
      return `(?!${toRegExpSource(tree.item)})`;
    case "end":
      return "$";
  }
}
