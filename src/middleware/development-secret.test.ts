import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { developmentSecret, developmentSecretFile } from "./development-secret.js";

test("one development secret per app folder, kept under XDG_STATE_HOME with owner-only modes", () => {
  const state = mkdtempSync(join(tmpdir(), "frank-state-"));
  try {
    const env = { XDG_STATE_HOME: state };
    const first = developmentSecret("/srv/app-one", env);
    assert.ok(first && first.length >= 32);
    assert.equal(developmentSecret("/srv/app-one", env), first, "the same folder gets the same secret");
    assert.notEqual(developmentSecret("/srv/app-two", env), first, "another folder gets its own");
    const file = developmentSecretFile("/srv/app-one", env);
    assert.ok(file.startsWith(join(state, "frank", "session-secrets")));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(state, "frank", "session-secrets")).mode & 0o777, 0o700);
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
});

test("no secret when it cannot be kept (the caller falls back to a random one)", () => {
  const dir = mkdtempSync(join(tmpdir(), "frank-state-"));
  try {
    const notAFolder = join(dir, "a-file");
    writeFileSync(notAFolder, "");
    assert.equal(developmentSecret("/srv/app", { XDG_STATE_HOME: notAFolder }), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
