// Test timeout: 90 s: hyperfine runs four commands twelve times each, every run a fresh Node.
// frank's quick commands start in about the time Node itself takes: reported (not asserted,
// timing belongs to `npm run bench`), with each command's exit status checked.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { CLI_COMMANDS, hyperfineMissing, measureCliStartup } from "./support/cli-startup.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";

test("every measured command succeeds", () => {
  for (const { name, args } of CLI_COMMANDS) {
    const result = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 30_000 });
    assert.equal(result.status, 0, `${name}: ${result.stderr}`);
  }
});

test("start-up of frank --help, frank config and frank doctor -f against node -e 0 (reported)", {
  skip: skipUnlessAvailable(hyperfineMissing()),
}, (t) => {
  for (const timing of measureCliStartup(10, 2))
    t.diagnostic(`${timing.name}: ${timing.meanMs.toFixed(0)} ms mean, ${timing.ratio.toFixed(2)}× node -e 0`);
});
