import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A dependency loaded the first time it is needed, not when frank starts: `qs`, `cookie` and
 * the full MIME database cost memory and start time that many apps never need. `require` works
 * for CommonJS packages and, on Node 20.19+, for ES modules without top-level await.
 */
export function onFirstUse<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
