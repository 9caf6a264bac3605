// The "From Sinatra" guide (docs/from-sinatra.md) and the README run as tests: every TypeScript
// snippet followed by a `<!-- check … -->` comment is written out as an app file that imports
// "frank" as a user's would, loaded, and sent each request of the comment in order (cookies kept
// between them, as a browser keeps them); each answer must be the one the comment names.
//
// A check line: METHOD PATH [name="value"]… → STATUS ["exact body"] [name="value"]…
//   left of the arrow, `body` and `type` are the request's body and Content-Type, other names
//   request headers; right of it, `body~` a part of the body, `type` the Content-Type, other
//   names response headers (null: absent). Values are JSON strings.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { ROOT } from "./support/launcher.js";

const DOCUMENTS = ["docs/from-sinatra.md", "README.md"];
// Inside the checkout, so `import … from "frank"` finds this package (its build) as an app's would.
const OUT = join(ROOT, "test-output", "guide-snippets");

interface Check {
  line: string;
  method: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
  status: number;
  expectBody?: string;
  expectContains?: string[];
  expectHeaders: Record<string, string | null>;
}

interface Snippet {
  document: string;
  heading: string;
  code: string;
  checks: Check[];
}

const TOKEN = /([\w-]+)(~|=)("(?:[^"\\]|\\.)*"|null|\S+)|("(?:[^"\\]|\\.)*")|(\S+)/g;

function parseCheck(line: string): Check {
  const [left, right] = line.split(/\s+(?:→|=>)\s+/);
  if (right === undefined) throw new Error(`a check needs an arrow: ${line}`);
  const [method, path, ...requestTokens] = [...left.matchAll(TOKEN)].map((m) => m);
  const check: Check = {
    line,
    method: method[0],
    path: path[0],
    headers: {},
    status: 0,
    expectHeaders: {},
  };
  for (const token of requestTokens) {
    const [, name, , raw] = token;
    if (!name) throw new Error(`unexpected "${token[0]}" in ${line}`);
    const value = JSON.parse(raw.startsWith('"') ? raw : JSON.stringify(raw)) as string;
    if (name === "body") check.body = value;
    else if (name === "type") check.headers["content-type"] = value;
    else check.headers[name] = value;
  }
  for (const token of right.matchAll(TOKEN)) {
    const [whole, name, operator, raw, quoted, bare] = token;
    if (bare !== undefined && check.status === 0) check.status = Number(bare);
    else if (quoted !== undefined) check.expectBody = JSON.parse(quoted) as string;
    else if (name === "body" && operator === "~") (check.expectContains ??= []).push(JSON.parse(raw) as string);
    else if (name !== undefined) {
      const value = raw === "null" ? null : (JSON.parse(raw.startsWith('"') ? raw : JSON.stringify(raw)) as string);
      check.expectHeaders[name === "type" ? "content-type" : name] = value;
    } else throw new Error(`unexpected "${whole}" in ${line}`);
  }
  if (!Number.isInteger(check.status) || check.status < 100) throw new Error(`no status in ${line}`);
  return check;
}

/** Every ```ts block followed (after blank lines) by a check comment. */
function snippetsOf(document: string): Snippet[] {
  const text = readFileSync(join(ROOT, document), "utf8");
  const snippets: Snippet[] = [];
  // A block never spans a closing fence: a fragment right before a checked app is not part of it.
  const block = /```ts\n((?:(?!```)[\s\S])*)```\s*<!-- check\n([\s\S]*?)-->/g;
  for (const match of text.matchAll(block)) {
    const before = text.slice(0, match.index);
    const heading = [...before.matchAll(/^#+ (.*)$/gm)].at(-1)?.[1] ?? document;
    const checks = match[2]
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "")
      .map(parseCheck);
    snippets.push({ document, heading, code: match[1], checks });
  }
  return snippets;
}

/** A browser's cookie jar, enough for session cookies. */
class Cookies {
  readonly #values = new Map<string, string>();
  header(): string | undefined {
    return this.#values.size === 0 ? undefined : [...this.#values].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  take(res: Response): void {
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      if (/max-age=0/i.test(cookie) || pair.slice(eq + 1) === "") this.#values.delete(name);
      else this.#values.set(name, pair.slice(eq + 1));
    }
  }
}

// Apps built by the snippets read the environment when they are made: test, as `npm test` runs them.
process.env.APP_ENV = "test";
mkdirSync(OUT, { recursive: true });

const snippets = DOCUMENTS.flatMap(snippetsOf);

it("the guide has a checked snippet for each of Sinatra's idioms it covers", () => {
  assert.ok(snippets.filter((s) => s.document === "docs/from-sinatra.md").length >= 15, `${snippets.length} snippets`);
});

// Running a snippet strips its types; this checks them, as an app's own `tsc` would with the
// README's tsconfig.json, so a signature the documents show wrongly fails here.
it("every checked snippet type-checks", () => {
  const dir = join(ROOT, "test-output", "guide-types");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = snippets.map((snippet, index) => {
    const name = `snippet-${index + 1}.ts`;
    writeFileSync(join(dir, name), `// ${snippet.document}: ${snippet.heading}\n${snippet.code}`);
    return name;
  });
  const compilerOptions = {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    types: ["node"],
    skipLibCheck: true,
    noEmit: true,
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files }));
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const checked = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
  assert.equal(checked.status, 0, checked.stdout + checked.stderr);
});

describe("every checked snippet answers as its comment says", () => {
  snippets.forEach((snippet, index) => {
    it(`${snippet.document}: ${snippet.heading} (#${index + 1})`, async () => {
      const file = join(OUT, `snippet-${index + 1}.ts`);
      writeFileSync(file, snippet.code);
      const module = (await import(pathToFileURL(file).href)) as {
        default: { fetch(req: Request): Response | Promise<Response> };
      };
      const app = module.default;
      const cookies = new Cookies();
      for (const check of snippet.checks) {
        const headers = new Headers(check.headers);
        const cookie = cookies.header();
        if (cookie) headers.set("cookie", cookie);
        const body =
          check.body === undefined
            ? undefined
            : check.headers["content-type"]
              ? check.body
              : new TextEncoder().encode(check.body);
        const res = await app.fetch(
          new Request(`http://localhost${check.path}`, { method: check.method, headers, body }),
        );
        cookies.take(res);
        const text = await res.text();
        assert.equal(res.status, check.status, `${check.line}\n  got ${res.status}: ${text}`);
        if (check.expectBody !== undefined) assert.equal(text, check.expectBody, check.line);
        for (const part of check.expectContains ?? []) assert.ok(text.includes(part), `${check.line}\n  got: ${text}`);
        for (const [name, value] of Object.entries(check.expectHeaders)) {
          assert.equal(res.headers.get(name), value, `${check.line}: header ${name}`);
        }
      }
    });
  });
});
