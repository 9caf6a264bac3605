/**
 * The `html` tagged template (escaping from http/escape-html). It lives here because the development
 * pages of show-exceptions need it and middleware/ may import only http/; the App
 * re-exports it from app/html.ts for users.
 */
import { escapeHtml } from "../http/escape-html.js";

export { escapeHtml };

/** Markup that is already safe: interpolated as is, never escaped again. */
export class SafeHtml {
  readonly #markup: string;
  constructor(markup: string) {
    this.#markup = markup;
  }
  toString(): string {
    return this.#markup;
  }
}

/** Marks a trusted string as markup. Never pass user input here. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * html`<p>${name}</p>` escapes every interpolated value; nested html results and
 * raw() pass through; arrays are joined with nothing between them (so `items.map(...)`
 * works); null, undefined and false render as nothing, so `${cond && html`…`}` works.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

function interpolate(value: unknown): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(interpolate).join("");
  return escapeHtml(String(value));
}
