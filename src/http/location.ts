/**
 * Where a URL reference leads, decided as a browser decides: by the WHATWG URL parser, which
 * drops leading and trailing spaces and control characters, removes tabs and newlines anywhere,
 * and reads "\" as "/" in http(s) URLs. So `\\evil`, `\/evil`, ` //evil` and `/\t/evil` all lead
 * to the host `evil`, however relative they look. `c.url()` and `c.redirect()` resolve with
 * `resolveReference`, and `isLocalUrl` asks the same function, so what it says is where a
 * browser goes with what frank sends.
 */

/** A C0 control or DEL: never part of a Location frank sends (CR and LF would split the header). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Whether the parser finds a scheme: after leading spaces and controls, a letter, then letters,
 * digits, "+", "-", "." (tabs and newlines are removed, so they may sit between), then ":". */
function hasScheme(target: string): boolean {
  let i = 0;
  while (i < target.length && target.charCodeAt(i) <= 0x20) i++;
  if (!isLetter(target.charCodeAt(i))) return false;
  for (i++; i < target.length; i++) {
    const code = target.charCodeAt(i);
    if (code === 0x3a /* ":" */) return true;
    const tabOrNewline = code === 0x09 || code === 0x0a || code === 0x0d;
    const schemeChar =
      isLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e;
    if (!tabOrNewline && !schemeChar) return false;
  }
  return false;
}

/**
 * Whether the parser reads `target` as a path of the site it is on ("/x", and "\x" or " /x" the
 * same way), not as a relative path ("x", "../x"), another host ("//x") or a URL with a scheme.
 */
export function isPathAbsolute(target: string): boolean {
  let i = 0;
  while (i < target.length && target.charCodeAt(i) <= 0x20) i++;
  const slashes: number[] = [];
  for (; i < target.length && slashes.length < 2; i++) {
    const code = target.charCodeAt(i);
    if (code === 0x09 || code === 0x0a || code === 0x0d) continue; // removed by the parser
    slashes.push(code);
  }
  const slash = (code: number | undefined) => code === 0x2f || code === 0x5c;
  return slash(slashes[0]) && !slash(slashes[1]);
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * `target` resolved against `base` (the page it appears on). A target with a scheme is absolute
 * even when its scheme is the page's: `http:foo` is `http://foo/`, as a browser on an https page
 * reads it, never a path on this site. Throws TypeError when no URL can be made of it.
 */
export function resolveReference(target: string, base: URL): URL {
  return hasScheme(target) ? new URL(target) : new URL(target, base);
}

// Two pages that share nothing: a reference that stays on each one's origin is relative.
const PROBES = [new URL("http://probe-a.invalid/a/b"), new URL("https://probe-b.invalid:8443/c/")];

/**
 * Whether `target` stays on the site of whichever page it is resolved against: a path, a query or
 * a fragment, with no scheme or host once a browser has read it. Use it before redirecting to a
 * target taken from the request (`?return_to=`). False for an absolute URL (even one naming this
 * site), for anything no URL can be made of, and for anything with a control character, which
 * `c.redirect()` refuses with 400.
 */
export function isLocalUrl(target: string): boolean {
  if (hasControlCharacter(target)) return false;
  for (const base of PROBES) {
    try {
      if (resolveReference(target, base).origin !== base.origin) return false;
    } catch {
      return false;
    }
  }
  return true;
}
