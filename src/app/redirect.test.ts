// What c.redirect() sends is what a browser would make of the target, and isLocalUrl() says
// beforehand where that is.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Builder } from "../http/builder.js";
import { isLocalUrl } from "../http/location.js";
import { App } from "./app.js";

function redirector(absoluteRedirects = true): App {
  const app = new App();
  app.set({ environment: "production", dumpErrors: false, publicFolder: false, absoluteRedirects });
  app.get("/go", (c) => c.redirect(String(c.query.to)));
  app.get("/url", (c) => c.url(String(c.query.to)));
  return app;
}

const ORIGIN = "http://shop.example:8080";
const go = (app: App, to: string) => app.request(`${ORIGIN}/go?to=${encodeURIComponent(to)}`);

describe("redirect targets", () => {
  it("a non-ASCII target is percent-encoded, never a 500 or a raw byte", async () => {
    const res = await go(redirector(), "/café/ü?q=é#à");
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), `${ORIGIN}/caf%C3%A9/%C3%BC?q=%C3%A9#%C3%A0`);
    const relative = await go(redirector(false), "/café");
    assert.equal(relative.headers.get("location"), "/caf%C3%A9");
  });

  it("a target no URL can be made of is a 400", async () => {
    for (const to of ["http:", "http://[", "https://a b/"]) assert.equal((await go(redirector(), to)).status, 400, to);
  });

  it("CR, LF or any control character in a target is a 400, and no header is added", async () => {
    for (const to of ["/\r\nSet-Cookie: stolen=1", "/a\nb", "/a\rb", "/\u0000", "/\u007f"]) {
      const res = await go(redirector(), to);
      assert.equal(res.status, 400, JSON.stringify(to));
      assert.equal(res.headers.get("set-cookie"), null);
      assert.equal(res.headers.get("location"), null);
      assert.equal(isLocalUrl(to), false);
    }
  });

  it("targets that look relative but name another host go there, as a browser would read them", async () => {
    for (const to of [
      "\\\\evil.example",
      "\\/evil.example",
      "/\\evil.example",
      " //evil.example",
      "\t//evil.example",
    ]) {
      for (const absolute of [true, false]) {
        const res = await app(absolute).request(`${ORIGIN}/url?to=${encodeURIComponent(to)}`);
        if (to.includes("\t")) continue; // c.url() follows the parser; redirect refuses it (below)
        assert.equal(new URL(await res.text()).host, "evil.example", `${JSON.stringify(to)} absolute=${absolute}`);
      }
      assert.equal(isLocalUrl(to), false, JSON.stringify(to));
    }
    const sent = await go(redirector(false), "\\\\evil.example/x");
    assert.equal(sent.headers.get("location"), "http://evil.example/x", "never a relative-looking Location");
    const doubled = await go(redirector(false), ".//evil.example");
    assert.equal(doubled.headers.get("location"), `${ORIGIN}//evil.example`, "a path of // is sent whole");
    function app(absolute: boolean) {
      return redirector(absolute);
    }
  });

  it("a request path that starts with // does not make its own redirects leave the site", async () => {
    const app = redirector();
    app.get("//evil.example/go", (c) => c.redirect("there"));
    const res = await app.request(`${ORIGIN}//evil.example/go`);
    assert.equal(res.headers.get("location"), `${ORIGIN}//evil.example/there`);
    const trusting = redirector();
    trusting.enable("trustProxy");
    trusting.get("//evil.example/url", (c) => c.url(""));
    const url = await trusting.request(`${ORIGIN}//evil.example/url`, { headers: { "x-forwarded-proto": "https" } });
    assert.equal(await url.text(), "https://shop.example:8080//evil.example/url");
  });

  it("local targets stay local and keep their path, query and fragment", async () => {
    for (const [to, expected] of [
      ["/there", `${ORIGIN}/there`],
      ["there?x=1", `${ORIGIN}/there?x=1`],
      ["?page=2", `${ORIGIN}/go?page=2`],
      ["#top", `${ORIGIN}/go#top`],
      ["/a/../b", `${ORIGIN}/b`],
    ] as const) {
      assert.equal(isLocalUrl(to), true, to);
      assert.equal((await go(redirector(), to)).headers.get("location"), expected, to);
    }
  });

  it("under a mount path, a path of the app gains the prefix and another host stays another host", async () => {
    const inner = new App();
    inner.set({ environment: "production", dumpErrors: false, publicFolder: false });
    inner.get("/url", (c) => c.url(String(c.query.to)));
    const site = new Builder().map("/a", inner);
    const url = async (to: string) =>
      (await site.fetch(new Request(`${ORIGIN}/a/url?to=${encodeURIComponent(to)}`))).text();
    assert.equal(await url("/x"), `${ORIGIN}/a/x`);
    assert.equal(await url("\\x"), `${ORIGIN}/a/x`, "a backslash is a slash, as a browser reads it");
    assert.equal(await url("y"), `${ORIGIN}/a/y`);
    assert.equal(await url("/caf\u00e9"), `${ORIGIN}/a/caf%C3%A9`);
    assert.equal(new URL(await url("\\\\evil.example")).host, "evil.example");
    assert.equal(new URL(await url(" //evil.example")).host, "evil.example");
  });

  it("isLocalUrl agrees with where every Location frank sends leads", async () => {
    const piece = fc.constantFrom(
      "/",
      "\\",
      " ",
      "\t",
      "\n",
      "evil.example",
      "a",
      ":",
      "@",
      "?",
      "#",
      ".",
      "..",
      "%2F",
      "%5C",
      "http:",
      "https:",
      "javascript:",
      "//",
      "\u3002",
      "\u00a0",
    );
    const apps = [redirector(true), redirector(false)];
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 6 }), async (pieces) => {
        const to = pieces.join("");
        const local = isLocalUrl(to);
        for (const app of apps) {
          const res = await go(app, to);
          if (res.status === 400) {
            // A control character, or nothing a URL can be made of ("http:" with no host).
            assert.equal(local, false, `${JSON.stringify(to)} was refused but called local`);
            continue;
          }
          assert.equal(res.status, 302, JSON.stringify(to));
          // The browser resolves a relative Location against the URL it asked for.
          const lands = new URL(res.headers.get("location")!, `${ORIGIN}/go`);
          assert.equal(lands.origin === ORIGIN, local, `${JSON.stringify(to)} -> ${lands.href}`);
        }
      }),
      { numRuns: Number(process.env.FRANK_PROPERTY_RUNS) || 300 },
    );
  });
});
