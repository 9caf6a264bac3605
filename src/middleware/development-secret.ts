/**
 * The session secret frank uses in development when SESSION_SECRET is not set: one per app folder,
 * made on first use and kept outside the project, so sessions survive a restart (`--reload`) and
 * the secret can never be committed. It lives in
 * `$XDG_STATE_HOME/frank/session-secrets/` (default `~/.local/state/frank/session-secrets/`),
 * one file per folder (named by a hash of its path), mode 0600 in a 0700 folder.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export function developmentSecretsFolder(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(homedir(), ".local", "state");
  return join(state, "frank", "session-secrets");
}

/** The file that keeps `folder`'s development secret. */
export function developmentSecretFile(folder: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash("sha256").update(resolve(folder)).digest("hex").slice(0, 32);
  return join(developmentSecretsFolder(env), id);
}

/** The folder's development secret, made on first use; undefined when it cannot be kept (no writable home). */
export function developmentSecret(folder: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = developmentSecretFile(folder, env);
  try {
    const kept = readFileSync(file, "utf8").trim();
    if (kept.length >= 32) return kept;
  } catch {
    // not made yet
  }
  try {
    mkdirSync(developmentSecretsFolder(env), { recursive: true, mode: 0o700 });
    const secret = randomBytes(32).toString("hex");
    // "wx": when two processes start at once, the second reads what the first wrote.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    try {
      const kept = readFileSync(file, "utf8").trim();
      return kept.length >= 32 ? kept : undefined;
    } catch {
      return undefined;
    }
  }
}
