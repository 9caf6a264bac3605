import type { Middleware } from "../http/types.js";
import { derivedRequest } from "../http/derived-request.js";

export interface MethodOverrideOptions {
  /** Methods a POST may become. Default PUT, PATCH, DELETE, LINK, UNLINK. */
  methods?: readonly string[];
  /** The form field to read. Default `_method`. */
  field?: string;
  /** The header to read. Default `X-HTTP-Method-Override`. */
  header?: string;
}

// HTML forms can only GET and POST; these are the verbs of frank's DSL a form may want
// to reach. A POST never becomes GET/HEAD/OPTIONS: that would turn a state-changing
// submission into a "safe" request and skip the authenticity-token check.
const DEFAULT_METHODS = ["PUT", "PATCH", "DELETE", "LINK", "UNLINK"];

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * Lets a POST act as another method: `<input type="hidden" name="_method" value="delete">`
 * in a form, or an `X-HTTP-Method-Override: PATCH` header. Reads the form from a clone,
 * so the handler can still read the body.
 */
export function methodOverride(options: MethodOverrideOptions = {}): Middleware {
  const allowed = new Set((options.methods ?? DEFAULT_METHODS).map((m) => m.toUpperCase()));
  const field = options.field ?? "_method";
  const header = options.header ?? "X-HTTP-Method-Override";

  return (next) => async (req) => {
    if (req.method !== "POST") return next(req);
    const wanted = (req.headers.get(header) ?? (await formField(req, field)))?.toUpperCase();
    if (!wanted || !allowed.has(wanted)) return next(req);

    return next(derivedRequest(req, { method: wanted }));
  };
}

async function formField(req: Request, field: string): Promise<string | undefined> {
  if (req.body === null || !FORM_TYPES.test(req.headers.get("content-type") ?? "")) return undefined;
  try {
    const value = (await req.clone().formData()).get(field);
    return typeof value === "string" ? value : undefined;
  } catch {
    // A malformed body is the handler's to reject; here it just means "no override".
    return undefined;
  }
}
