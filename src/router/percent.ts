// Percent-encoding rules for matching. A pattern's literal characters match their encoded
// form too (Mustermann's uri_decode), so a path is brought to one canonical form before
// matching: every valid escape is decoded except those of the characters that structure
// a path ("/", "%", "?", "#"). An encoded "%2F" therefore never splits a segment.
import { alternatives, oneOf, type RegexTree, sequence, text } from "./regex-tree.js";

/** A path whose captured part holds an escape that is not valid UTF-8 (e.g. `%zz`, `%C3`). */
export class MalformedPathError extends URIError {
  /** the HTTP status a framework should answer with */
  readonly status = 400;

  constructor(readonly value: string) {
    super(`malformed percent-encoding in path: ${JSON.stringify(value)}`);
    this.name = "MalformedPathError";
  }
}

const ENCODED_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const STRUCTURAL = /[/%?#]/g;
const ENCODED_BYTE = /%([0-9A-Fa-f]{2})/g;
const STRUCTURAL_ESCAPES: Record<string, string> = { "/": "%2F", "%": "%25", "?": "%3F", "#": "%23" };

/** The canonical form of a raw, still percent-encoded path. Never throws. */
export function canonicalPath(path: string): string {
  return path.indexOf("%") === -1 ? path : path.replace(ENCODED_RUN, decodeRun);
}

function decodeRun(run: string): string {
  let text: string;
  try {
    text = decodeURIComponent(run);
  } catch {
    // Not valid UTF-8: decode only the ASCII escapes and leave the rest for decodeCapture to reject.
    return run.replace(ENCODED_BYTE, (encoded, hex: string) => {
      const code = parseInt(hex, 16);
      if (code >= 0x80) return encoded;
      const char = String.fromCharCode(code);
      return STRUCTURAL_ESCAPES[char] ?? char;
    });
  }
  return text.replace(STRUCTURAL, (char) => STRUCTURAL_ESCAPES[char]);
}

/** Decodes a captured value. A malformed escape throws MalformedPathError (a 400, not a 500). */
export function decodeCapture(value: string): string {
  if (value.indexOf("%") === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new MalformedPathError(value);
  }
}

/**
 * What one literal pattern character matches in a canonical path: the character itself, or its
 * escape where canonicalPath keeps one. A space also matches "+" (Mustermann's space_matches_plus).
 */
export function literalChar(char: string): RegexTree {
  switch (char) {
    case " ":
      return oneOf(" +");
    case "/":
      return alternatives([text("/"), sequence([text("%2"), oneOf("Ff")])]);
    case "%":
      return alternatives([text("%25"), text("%")]);
    case "?":
      return alternatives([text("?"), sequence([text("%3"), oneOf("Ff")])]);
    case "#":
      return alternatives([text("#"), text("%23")]);
    default:
      return text(char);
  }
}

/** Characters whose canonical form is the character itself, so a Map lookup can stand in for a regex. */
export function isPlainChar(char: string): boolean {
  return char !== " " && char !== "/" && char !== "%" && char !== "?" && char !== "#";
}
