import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pathTemplates } from "./path-template.js";
import { compilePattern } from "./pattern.js";

const paths = (pattern: string) => {
  const templates = pathTemplates(pattern);
  return typeof templates === "string" ? templates : templates.map((template) => template.path);
};

describe("pathTemplates", () => {
  it("turns captures into template expressions", () => {
    assert.deepEqual(paths("/users/:id"), ["/users/{id}"]);
    assert.deepEqual(paths("/files/:name.:ext"), ["/files/{name}.{ext}"]);
    assert.deepEqual(paths("/{org}/repos"), ["/{org}/repos"]);
    assert.deepEqual(paths("/"), ["/"]);
  });

  it("expands optional parts, groups and alternatives into every path they stand for", () => {
    assert.deepEqual(paths("/posts/:id(.:format)?"), ["/posts/{id}", "/posts/{id}.{format}"]);
    assert.deepEqual(paths("/hello/:name?"), ["/hello/", "/hello/{name}"]);
    assert.deepEqual(paths("/a|/b/:id"), ["/a", "/b/{id}"]);
    assert.deepEqual(paths("/{a|b}"), ["/{a}", "/{b}"]);
    assert.deepEqual(paths("/x/?"), ["/x", "/x/"]);
  });

  it("makes splats parameters, numbering a name used twice", () => {
    const [files] = pathTemplates("/files/*") as Exclude<ReturnType<typeof pathTemplates>, string>;
    assert.deepEqual(files, { path: "/files/{splat}", params: [{ name: "splat", capture: "splat", splat: true }] });
    assert.deepEqual(paths("/*/to/*"), ["/{splat}/to/{splat2}"]);
    assert.deepEqual(paths("/*rest"), ["/{rest}"]);
    assert.deepEqual(paths("/:a/:a"), ["/{a}/{a2}"]);
  });

  it("percent-encodes characters a URL path cannot hold and keeps escaped specials literal", () => {
    assert.deepEqual(paths("/caf\u00e9 menu"), ["/caf%C3%A9%20menu"]);
    assert.deepEqual(paths("/\\:not-a-param"), ["/:not-a-param"]);
    assert.deepEqual(paths("/a\\{b\\}"), ["/a%7Bb%7D"]);
  });

  it("says why when there is no template", () => {
    assert.match(paths("*") as string, /does not start with "\/"/);
    assert.match(paths("/(a|b)(c|d)(e|f)(g|h)(i|j)") as string, /more than 16 paths/);
  });

  it("gives templates that, filled in, reach the route with the same params", () => {
    for (const [pattern, params] of [
      ["/posts/:id(.:format)?", { id: "7", format: "json" }],
      ["/files/*", { splat: "a/b c.txt" }],
      ["/users/:id", { id: "a/b" }],
    ] as const) {
      const compiled = compilePattern(pattern);
      for (const template of pathTemplates(pattern) as Exclude<ReturnType<typeof pathTemplates>, string>) {
        const values = params as Record<string, string>;
        if (!template.params.every((param) => param.name in values)) continue;
        // What an OpenAPI client sends: each value percent-encoded, "/" included.
        const path = template.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(values[name]));
        const matched = compiled.match(path);
        assert.ok(matched, `${path} matches ${pattern}`);
        for (const param of template.params) {
          const value: string | string[] | undefined = matched[param.capture];
          assert.equal(Array.isArray(value) ? value[0] : value, values[param.name]);
        }
      }
    }
  });
});
