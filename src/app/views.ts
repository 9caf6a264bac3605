/**
 * Templates for `c.render(name, locals)`, through Eta (https://eta.js.org).
 *
 * Why Eta: it is maintained, small (no dependencies), written in TypeScript, compiles a
 * template once to a plain JS function (among the fastest engines in published
 * benchmarks), escapes `<%= %>` by default, and its syntax is ERB's — what a Sinatra
 * user already writes: `<%= it.name %>` escapes, `<%~ it.body %>` inserts markup,
 * `<% for (...) { %>` runs code, `<%~ include("partial", it) %>` renders a partial.
 *
 * What a template sees, as a Sinatra view sees its app:
 * - `it`: the request's variables (`c.set`), then the locals passed to render;
 * - `c`: the request's context — `c.params`, `c.session`, `c.flash`, `c.url()`, helpers;
 * - `contentFor(name, () => { %>…<% })` and `yieldContent(name)` (sinatra-contrib's
 *   content_for): a view hands markup to its layout, e.g. extra `<script>` tags.
 * A local that is missing renders nothing (not "undefined").
 *
 * Layout: `layout.eta` in the views folder (or a template named "layout") wraps every render,
 * as Sinatra's `layout.erb` does; it gets the same locals plus `it.body`.
 * Pass `{ layout: "other" }` or `{ layout: false }` to choose another or none.
 * Production caches compiled templates; development re-reads files on every render,
 * so an edited template shows up on the next request.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import type { Eta } from "eta";
import type { Context, RenderOptions, TemplateSource } from "./context.js";
import { escapeHtml, raw, SafeHtml } from "./html.js";

export interface ViewRendererOptions {
  /** Absolute path of the views folder. */
  views: string;
  /** Keep compiled templates in memory (production) or re-read them on each render. */
  cache: boolean;
  /** Templates defined in code (`app.template(name, source)`), found before files. */
  templates?: ReadonlyMap<string, string>;
}

export interface ViewRenderer {
  render(
    template: TemplateSource | string,
    locals?: object,
    options?: RenderOptions,
    c?: Context<any, any>,
  ): Promise<string>;
}

const DEFAULT_LAYOUT = "layout";
const EXTENSION = ".eta";

/** What one render shares between a view, its partials and its layout (Eta passes it along as `options`). */
interface RenderState {
  context: Context<any, any> | undefined;
  content: Record<string, string>;
  raw: typeof raw;
}

// Runs at the top of every compiled template: the names a template may use besides `it`.
const TEMPLATE_HEADER = `
const __frank = options.frank || { context: undefined, content: {}, raw: (s) => s };
const c = __frank.context;
const contentFor = (name, block) => {
  const piece = typeof block === "function" ? capture(block) : String(block ?? "");
  __frank.content[name] = (__frank.content[name] || "") + piece;
  return "";
};
const yieldContent = (name, fallback) => __frank.raw(__frank.content[name] ?? fallback ?? "");
const hasContentFor = (name) => name in __frank.content;
`;

/** Eta is loaded on the first render: an app without views never pays its memory. */
async function createEta(options: ViewRendererOptions): Promise<Eta> {
  const { Eta } = await import("eta");
  const eta = new Eta({
    views: options.views,
    cache: options.cache,
    cacheFilepaths: options.cache,
    functionHeader: TEMPLATE_HEADER,
    // A missing local (undefined or null) renders nothing, in <%= %> and <%~ %> alike.
    autoFilter: true,
    // (Eta types the filter as returning a string; a SafeHtml passes through to the escape function.)
    filterFunction: ((value: unknown) => (value === undefined || value === null ? "" : value)) as (
      v: unknown,
    ) => string,
    // Values built with the html`` template (and the layout's body) are markup already.
    escapeFunction: (value: unknown) => (value instanceof SafeHtml ? value.toString() : escapeHtml(String(value))),
  });
  for (const [name, source] of options.templates ?? []) eta.loadTemplate(`@${name}`, source);
  return eta;
}

export function createViewRenderer(options: ViewRendererOptions): ViewRenderer {
  let loading: Promise<Eta> | undefined;
  const compiledStrings = new Map<string, ReturnType<Eta["compile"]>>();
  const fileExists = new Map<string, boolean>();
  const exists = (file: string): boolean => {
    let found = fileExists.get(file);
    if (found === undefined) {
      found = existsSync(join(options.views, file));
      if (options.cache) fileExists.set(file, found);
    }
    return found;
  };

  /** Eta's name for a view: "@name" for one defined in code, else the file's path in `views`. */
  const resolveName = (name: string): string => {
    if (options.templates?.has(name)) return `@${name}`;
    if (/\.erb$/.test(name)) {
      // A Sinatra name: Eta's syntax is ERB's, so index.erb's counterpart is index.eta.
      const eta = name.replace(/\.erb$/, EXTENSION);
      if (exists(eta)) return eta;
      throw new Error(
        `view "${name}": frank renders Eta templates (${EXTENSION}), not ERB; rename views/${name} to views/${eta} ` +
          `(the <% %> tags stay; Ruby inside them becomes JavaScript: @name is it.name)`,
      );
    }
    const file = name.endsWith(EXTENSION) ? name : `${name}${EXTENSION}`;
    const inside = relative(options.views, join(options.views, file));
    if (inside.startsWith("..") || isAbsolute(inside)) throw new Error(`view "${name}" is outside the views folder`);
    if (!exists(file)) {
      throw new Error(`view "${name}" not found: no ${join(options.views, file)} and no app.template("${name}", …)`);
    }
    return file;
  };

  const hasDefaultLayout = () => options.templates?.has(DEFAULT_LAYOUT) === true || exists(DEFAULT_LAYOUT + EXTENSION);

  return {
    async render(template, locals = {}, renderOptions = {}, c) {
      const eta = await (loading ??= createEta(options));
      const state: RenderState = { context: c, content: {}, raw };
      const meta = { frank: state } as unknown as Parameters<Eta["render"]>[2];
      const source = typeof template === "string" ? { name: template } : template;
      let body: string;
      if ("source" in source) {
        let compiled = compiledStrings.get(source.source);
        if (compiled === undefined) {
          compiled = eta.compile(source.source);
          if (options.cache && compiledStrings.size < 1000) compiledStrings.set(source.source, compiled);
        }
        body = eta.render(compiled, locals, meta);
      } else body = eta.render(resolveName(source.name), locals, meta);
      const layout = renderOptions.layout ?? (hasDefaultLayout() ? DEFAULT_LAYOUT : false);
      if (layout === false) return body;
      return eta.render(resolveName(layout), { ...locals, body: raw(body) }, meta);
    },
  };
}
