// Runs several test files in one process (`npm run test:unit`): each file is a suite named by its
// path, bounded by its budget, with its own before/after hooks, so loading Node, tsx and the
// shared modules is paid once per group instead of once per file.
// Usage (from run-tests.mjs): node --import tsx scripts/test-group.mjs '[["src/a.test.ts", 30], ...]'
import { after, describe } from "node:test";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

for (const [file, budgetS] of JSON.parse(process.argv[2])) {
  describe(file, { timeout: budgetS * 1000 }, async () => {
    await import(pathToFileURL(resolve(file)).href);
  });
}

// Every suite has ended; a process still alive a second later is held by something a test left
// open. Say what, and fail instead of hanging.
after(() => {
  setTimeout(() => {
    const open = process.getActiveResourcesInfo().filter((kind) => kind !== "TTYWrap" && kind !== "PipeWrap");
    console.error(`✖ a test in this group left ${open.join(", ") || "a handle"} open; npm test runs each file alone`);
    process.exit(1);
  }, 1000).unref();
});
