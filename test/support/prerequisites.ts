// Tests that need root, network namespaces, nginx or chromium skip with the reason when a
// part is missing on a developer's machine. CI installs every part and runs as root, so
// there a missing part is a failure, not a silent skip.

/**
 * Pass the result as node:test's `skip` option: false (run) when every reason is undefined,
 * else the joined reasons. With CI set, a missing part throws instead, failing the file.
 */
export function skipUnlessAvailable(...reasons: Array<string | undefined>): string | false {
  const missing = reasons.filter((reason): reason is string => reason !== undefined);
  if (missing.length === 0) return false;
  const summary = missing.join("; ");
  if (process.env.CI) throw new Error(`CI must have every test prerequisite: ${summary}`);
  return summary;
}
