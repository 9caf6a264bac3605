/**
 * `Content-Disposition` with a filename every client can read (RFC 6266): a plain ASCII
 * `filename` fallback, plus `filename*` in UTF-8 (RFC 8187) when the name needs more.
 */

/** Characters RFC 8187's attr-char allows unencoded. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function encodeExtValue(value: string): string {
  let out = "";
  for (const char of value) {
    if (ATTR_CHAR.test(char)) out += char;
    else for (const byte of Buffer.from(char, "utf8")) out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** The last path component, so a client never sees (or saves to) a directory. */
function baseName(filename: string): string {
  const parts = filename.split(/[/\\]/);
  return parts[parts.length - 1] ?? "";
}

export function contentDisposition(disposition: "inline" | "attachment", filename?: string): string {
  if (filename === undefined) return disposition;
  const name = baseName(filename);
  if (name === "") return disposition;
  // The fallback keeps printable ASCII except the quote and backslash, which would need escaping.
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  let value = `${disposition}; filename="${fallback}"`;
  if (fallback !== name) value += `; filename*=UTF-8''${encodeExtValue(name)}`;
  return value;
}
