/** Writes the files the static scenarios serve (deterministic content, world-readable for nginx). */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { STATIC_DIR } from "../targets/shared.js";
import { BIG_FILE_BYTES, SMALL_FILE_BYTES } from "./scenarios.js";

export function writeFixtures(): void {
  mkdirSync(STATIC_DIR, { recursive: true, mode: 0o755 });
  const line = "frank serves this file for the static-small benchmark.\n";
  writeFileSync(
    join(STATIC_DIR, "small.txt"),
    line.repeat(Math.ceil(SMALL_FILE_BYTES / line.length)).slice(0, SMALL_FILE_BYTES),
    { mode: 0o644 },
  );
  const big = Buffer.alloc(BIG_FILE_BYTES);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 8)) & 0xff;
  writeFileSync(join(STATIC_DIR, "big.bin"), big, { mode: 0o644 });
}
