#!/usr/bin/env node
// The frank launcher. The code is TypeScript in src/cli, compiled to dist/ by `npm run build`.
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error("frank: dist/cli/main.js is missing; run `npm run build` in the frank package first");
  process.exit(1);
}
const { runMain } = await import(main.href);
runMain();
