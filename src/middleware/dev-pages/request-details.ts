/**
 * What the development pages show about a request, with secrets masked: a page that
 * is screenshotted, pasted into a ticket or seen over a shoulder must not leak them.
 */

export const MASK = "[masked]";

// Names that carry credentials, in headers, cookies, query strings and forms.
const SECRET_NAME =
  /passw|secret|token|api[-_]?key|apikey|auth(?!or)|session|sess_?id|^sid$|[._-]sid$|jwt|csrf|xsrf|credential|private[-_]?key|signature/i;
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;
const MAX_FORM_BYTES = 1024 * 1024;

export type Pairs = Array<[string, string]>;

export interface RequestDetails {
  method: string;
  url: string;
  headers: Pairs;
  query: Pairs;
  cookies: Pairs;
  /** The form fields; a string says why they are not shown; undefined when there is no form. */
  form: Pairs | string | undefined;
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export async function requestDetails(req: Request): Promise<RequestDetails> {
  const url = new URL(req.url);
  const cookieHeader = req.headers.get("cookie");
  const cookies = cookieHeader ? parseCookies(cookieHeader) : [];
  const headers: Pairs = [];
  req.headers.forEach((value, name) => {
    if (name === "cookie") headers.push([name, cookies.map(([k, v]) => `${k}=${v}`).join("; ")]);
    else headers.push([name, maskHeader(name, value)]);
  });
  return {
    method: req.method,
    url: maskUrl(url),
    headers,
    query: [...url.searchParams].map(([name, value]) => [name, isSecretName(name) ? MASK : value]),
    cookies,
    form: await readForm(req),
  };
}

/** The URL as sent, with the values of secret-named query parameters masked. */
function maskUrl(url: URL): string {
  if (!url.search) return url.href;
  const query = url.search
    .slice(1)
    .split("&")
    .map((part) => {
      const rawName = part.split("=")[0];
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, " "));
      } catch {
        // keep the raw name
      }
      return isSecretName(name) ? `${rawName}=${MASK}` : part;
    })
    .join("&");
  return `${url.origin}${url.pathname}?${query}${url.hash}`;
}

function maskHeader(name: string, value: string): string {
  if (name === "authorization" || name === "proxy-authorization") {
    // The scheme helps debugging ("Bearer" or "Basic"?); the credentials never show.
    const scheme = /^\S+(?=\s)/.exec(value)?.[0];
    return scheme ? `${scheme} ${MASK}` : MASK;
  }
  return isSecretName(name) ? MASK : value;
}

function parseCookies(header: string): Pairs {
  const pairs: Pairs = [];
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    pairs.push([name, isSecretName(name) ? MASK : part.slice(eq + 1).trim()]);
  }
  return pairs;
}

async function readForm(req: Request): Promise<Pairs | string | undefined> {
  const type = req.headers.get("content-type") ?? "";
  if (!FORM_TYPES.test(type) || req.body === null) return undefined;
  if (req.bodyUsed) return "not shown: the app has already read the body";
  const bytes = await readCapped(req.body, MAX_FORM_BYTES);
  if (bytes === undefined) return `not shown: larger than ${MAX_FORM_BYTES / 1024} KiB`;
  try {
    const form = await new Response(bytes, { headers: { "content-type": type } }).formData();
    const pairs: Pairs = [];
    form.forEach((value, name) => {
      if (typeof value !== "string")
        pairs.push([name, `(file ${value.name || "unnamed"}, ${value.size} bytes, ${value.type || "no type"})`]);
      else pairs.push([name, isSecretName(name) ? MASK : value]);
    });
    return pairs;
  } catch {
    return "not shown: the body is not a well-formed form";
  }
}

async function readCapped(
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return new Uint8Array(Buffer.concat(chunks));
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
}
