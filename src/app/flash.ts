/**
 * `c.flash`: messages for the next request, kept in the session (sinatra-flash, Rails' flash).
 *
 *   c.flash.notice = "Saved";      // shown by this request and the next one that reads the flash
 *   c.flash.now.error = "Invalid"; // for this request only (a form rendered again)
 *   it.c.flash.notice              // in a view
 *
 * The first read in a request takes the pending messages out of the session, so they show once.
 */
export type FlashMessages = { [key: string]: string | undefined };
export type Flash = FlashMessages & { readonly now: FlashMessages };

/** Where the pending messages live in the session. */
export const FLASH_KEY = "_flash";

export function createFlash(session: Record<string, unknown>): Flash {
  const pending = session[FLASH_KEY];
  const current: FlashMessages = pending && typeof pending === "object" ? { ...(pending as FlashMessages) } : {};
  if (pending !== undefined) delete session[FLASH_KEY];
  const next: FlashMessages = {};

  const now = new Proxy(current, {
    set(target, key, value) {
      if (typeof key === "symbol") return false;
      target[key] = value === undefined ? undefined : String(value);
      return true;
    },
  });

  return new Proxy(current, {
    get(target, key) {
      if (key === "now") return now;
      return typeof key === "symbol" ? undefined : target[key];
    },
    set(target, key, value) {
      if (typeof key === "symbol" || key === "now") return false;
      const message = value === undefined ? undefined : String(value);
      target[key] = message;
      if (message === undefined) delete next[key];
      else next[key] = message;
      if (Object.keys(next).length > 0) session[FLASH_KEY] = { ...next };
      else delete session[FLASH_KEY];
      return true;
    },
    deleteProperty(target, key) {
      if (typeof key === "symbol") return false;
      delete target[key];
      delete next[key];
      if (Object.keys(next).length > 0) session[FLASH_KEY] = { ...next };
      else delete session[FLASH_KEY];
      return true;
    },
  }) as Flash;
}
