// Percent-encoding rules for matching. A pattern's literal characters match their encoded
// form too (Mustermann's uri_decode), so a path is brought to one canonical form before
// matching: every valid escape is decoded except those of the characters that structure
// a path ("/", "%", "?", "#"). An encoded "%2F" therefore never splits a segment.
import { Buffer, isUtf8 } from "node:buffer";
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

const STRUCTURAL = /[/%?#]/g;
const STRUCTURAL_ESCAPES: Record<string, string> = { "/": "%2F", "%": "%25", "?": "%3F", "#": "%23" };

/** The canonical form of a raw, still percent-encoded path. Never throws. One pass, no backtracking. */
export function canonicalPath(path: string): string {
  let percent = path.indexOf("%");
  if (percent === -1) return path;
  let out = "";
  let copied = 0;
  while (percent !== -1) {
    // The run of well-formed escapes that starts here ("%41%42"); a lone "%" or "%zz" is kept as is.
    let end = percent;
    while (end + 2 < path.length && path.charCodeAt(end) === 37 /* "%" */ && isHexPair(path, end + 1)) end += 3;
    if (end === percent) {
      percent = path.indexOf("%", percent + 1);
      continue;
    }
    out += path.slice(copied, percent) + decodeRun(path, percent, end);
    copied = end;
    percent = path.indexOf("%", end);
  }
  return out + path.slice(copied);
}

/**
 * Decodes the escapes in path[start, end) when their bytes are UTF-8 (checked without a throw: a
 * path of many broken runs would cost an exception each), keeping "/", "%", "?" and "#" encoded;
 * otherwise decodes only the ASCII escapes and leaves the rest for decodeCapture to reject.
 */
function decodeRun(path: string, start: number, end: number): string {
  const bytes = Buffer.allocUnsafe((end - start) / 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = hexPairValue(path, start + 3 * i + 1);
  if (isUtf8(bytes)) return bytes.toString("utf8").replace(STRUCTURAL, (char) => STRUCTURAL_ESCAPES[char]);
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte >= 0x80) out += path.slice(start + 3 * i, start + 3 * i + 3);
    else {
      const char = String.fromCharCode(byte);
      out += STRUCTURAL_ESCAPES[char] ?? char;
    }
  }
  return out;
}

function isHexPair(text: string, at: number): boolean {
  return hexDigit(text.charCodeAt(at)) !== -1 && hexDigit(text.charCodeAt(at + 1)) !== -1;
}

function hexPairValue(text: string, at: number): number {
  return hexDigit(text.charCodeAt(at)) * 16 + hexDigit(text.charCodeAt(at + 1));
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
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
