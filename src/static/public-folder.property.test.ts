// Properties of the public folder and sendFile over real files (fast-check): a secret sits
// beside the folder, in dotfiles inside it and behind a symlink that leads out; no generated
// request path, and no path handed to sendFile with a root, ever brings its bytes back.
// FRANK_PROPERTY_RUNS raises the number of generated cases (`npm run test:reliability` does).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { createPublicFolder } from "./public-folder.js";
import { sendFile } from "./send-file.js";

const numRuns = Number(process.env.FRANK_PROPERTY_RUNS) || 300;
const SECRET = "FRANK-SECRET-3c9a51";
let root: string;
let folder: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), "frank-static-property-"));
  folder = join(root, "public");
  mkdirSync(join(folder, "css"), { recursive: true });
  mkdirSync(join(folder, ".well-known"));
  mkdirSync(join(root, "public-sibling"));
  writeFileSync(join(folder, "hello.txt"), "hello");
  writeFileSync(join(folder, "css", "site.css"), "body{}");
  writeFileSync(join(folder, ".env"), SECRET);
  writeFileSync(join(folder, ".well-known", ".secret"), SECRET);
  writeFileSync(join(root, "secret.txt"), SECRET);
  writeFileSync(join(root, "public-sibling", "secret.txt"), SECRET);
  symlinkSync(join(root, "secret.txt"), join(folder, "outside-link.txt"));
  symlinkSync(root, join(folder, "outside-dir"));
});
after(() => rmSync(root, { recursive: true, force: true }));

const piece = fc.oneof(
  fc.constantFrom(
    "/",
    "..",
    ".",
    "%2e",
    "%2E%2E",
    ".%2e",
    "%252e%252e",
    "%2f",
    "%2F",
    "%252f",
    "\\",
    "%5c",
    "%c0%ae",
    "%c0%af",
    "%e0%80%ae",
    "%00",
    "\0",
    "//",
    "?",
    "#",
    "%3f",
    "%23",
    ";",
  ),
  fc.constantFrom(
    "secret.txt",
    "public-sibling",
    "public",
    "outside-link.txt",
    "outside-dir",
    ".env",
    ".well-known",
    ".secret",
    "hello.txt",
    "css",
    "site.css",
  ),
  fc.string({ unit: "binary", maxLength: 6 }),
);
const hostilePath = fc.array(piece, { minLength: 1, maxLength: 12 }).map((pieces) => pieces.join(""));

async function bodyOf(res: Response | undefined): Promise<string> {
  return res === undefined ? "" : Buffer.from(await res.arrayBuffer()).toString("latin1");
}

test("no request path brings a byte of the secret back from the public folder", async () => {
  const publicFolder = createPublicFolder({ folder, index: true });
  await fc.assert(
    fc.asyncProperty(hostilePath, async (path) => {
      let req: Request;
      try {
        req = new Request("http://frank.test/" + path);
      } catch {
        return; // not a URL at all: no server would hand it to the folder
      }
      const res = await publicFolder(req);
      assert.ok(!(await bodyOf(res)).includes(SECRET), `${JSON.stringify(path)} leaked the secret`);
      if (res !== undefined)
        assert.ok([200, 301, 400, 404].includes(res.status), `${JSON.stringify(path)} answered ${res.status}`);
    }),
    { numRuns },
  );
});

test("no path handed to sendFile with a root brings a byte of the secret back", async () => {
  await fc.assert(
    fc.asyncProperty(hostilePath, async (path) => {
      const res = await sendFile(new Request("http://frank.test/download"), path, { root: folder });
      const body = await bodyOf(res);
      assert.ok(!body.includes(SECRET), `${JSON.stringify(path)} leaked the secret`);
      assert.ok(res.status < 500, `${JSON.stringify(path)} answered ${res.status}`);
    }),
    { numRuns },
  );
});

test("the folder does serve its own files, so the refusals above mean something", async () => {
  const publicFolder = createPublicFolder({ folder });
  assert.equal(await bodyOf(await publicFolder(new Request("http://frank.test/hello.txt"))), "hello");
  assert.equal((await sendFile(new Request("http://frank.test/x"), "css/site.css", { root: folder })).status, 200);
});
