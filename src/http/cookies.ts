import type * as CookieModule from "cookie";
import type { SerializeOptions } from "cookie";
import { onFirstUse } from "./on-first-use.js";

// Loaded on first use: most requests carry no cookie for the app to read.
const cookie = onFirstUse<typeof CookieModule>("cookie");

export type CookieOptions = SerializeOptions;

/**
 * The request's cookies, and the Set-Cookie headers to send back.
 * Parsing and serializing are the `cookie` package's (it validates names, values and attributes).
 */
export class CookieJar {
  readonly #header: string | null;
  #parsed: Record<string, string | undefined> | undefined;
  readonly #outgoing: string[] = [];

  constructor(cookieHeader: string | null) {
    this.#header = cookieHeader;
  }

  #all(): Record<string, string | undefined> {
    this.#parsed ??= this.#header ? cookie().parse(this.#header) : {};
    return this.#parsed;
  }

  get(name: string): string | undefined {
    return this.#all()[name];
  }

  has(name: string): boolean {
    return this.#all()[name] !== undefined;
  }

  /** Every request cookie as a plain object. */
  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.#all())) if (value !== undefined) out[name] = value;
    return out;
  }

  set(name: string, value: string, options: CookieOptions = {}): void {
    this.#outgoing.push(cookie().serialize(name, value, { path: "/", httpOnly: true, sameSite: "lax", ...options }));
    this.#all()[name] = value;
  }

  delete(name: string, options: CookieOptions = {}): void {
    this.#outgoing.push(
      cookie().serialize(name, "", { path: "/", ...options, expires: new Date(0), maxAge: undefined }),
    );
    delete this.#all()[name];
  }

  /** Set-Cookie header values queued by set()/delete(). */
  get outgoing(): readonly string[] {
    return this.#outgoing;
  }
}
