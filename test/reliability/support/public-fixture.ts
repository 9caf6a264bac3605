// A public folder with a secret beside it and inside it (dotfiles, a symlink that leads out),
// for tests that must prove not one byte from outside the folder is ever served.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

/** Text that appears only in files that must never be served. */
export const SECRET = "FRANK-RELIABILITY-SECRET-7d41c0";

export interface PublicFixture {
  /** holds `public/`, `secret.txt` and `public-sibling/` */
  root: string;
  folder: string;
  /** bytes of `public/big.bin`, served for Range requests and clients that vanish mid-response */
  bigBytes: number;
  remove(): void;
}

export const BIG_FILE_BYTES = 2 * 1024 * 1024;

export function createPublicFixture(): PublicFixture {
  const root = mkdtempSync(join(tmpdir(), "frank-reliability-"));
  const folder = join(root, "public");
  mkdirSync(join(folder, "css"), { recursive: true });
  mkdirSync(join(folder, ".well-known"));
  mkdirSync(join(folder, ".git"));
  mkdirSync(join(root, "public-sibling"));
  writeFileSync(join(folder, "index.html"), "<h1>frank</h1>\n");
  writeFileSync(join(folder, "hello.txt"), "hello from the public folder\n");
  writeFileSync(join(folder, "css", "site.css"), "body { color: #333 }\n");
  writeFileSync(join(folder, "big.bin"), randomBytes(BIG_FILE_BYTES).toString("hex").slice(0, BIG_FILE_BYTES));
  writeFileSync(join(folder, ".well-known", "security.txt"), "Contact: mailto:security@example.org\n");
  writeFileSync(join(folder, ".env"), `TOKEN=${SECRET}\n`);
  writeFileSync(join(folder, ".git", "config"), `${SECRET}\n`);
  writeFileSync(join(folder, "css", ".hidden"), `${SECRET}\n`);
  writeFileSync(join(root, "secret.txt"), `${SECRET}\n`);
  writeFileSync(join(root, "public-sibling", "secret.txt"), `${SECRET}\n`);
  symlinkSync(join(root, "secret.txt"), join(folder, "outside-link.txt"));
  symlinkSync(root, join(folder, "outside-dir"));
  return { root, folder, bigBytes: BIG_FILE_BYTES, remove: () => rmSync(root, { recursive: true, force: true }) };
}
