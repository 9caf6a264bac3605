/**
 * Templates for `c.render(name, locals)`, through Eta (https://eta.js.org).
 *
 * Why Eta: it is maintained, small (no dependencies), written in TypeScript, compiles a
 * template once to a plain JS function (among the fastest engines in published
 * benchmarks), escapes `<%= %>` by default, and its syntax is ERB's — what a Sinatra
 * user already writes: `<%= it.name %>` escapes, `<%~ it.body %>` inserts markup,
 * `<% for (...) { %>` runs code, `<%~ include("partial", it) %>` renders a partial.
 *
 * Layout: `layout.eta` in the views folder wraps every render when it exists (as
 * Sinatra's `layout.erb` does); it gets the same locals plus `it.body`.
 * Pass `{ layout: "other" }` or `{ layout: false }` to choose another or none.
 * Production caches compiled templates; development re-reads files on every render,
 * so an edited template shows up on the next request.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Eta } from "eta";
import { escapeHtml, raw, SafeHtml } from "./html.js";

export interface ViewRendererOptions {
  /** Absolute path of the views folder. */
  views: string;
  /** Keep compiled templates in memory (production) or re-read them on each render. */
  cache: boolean;
}

export interface RenderOptions {
  /** A layout template name, or false for none. Default: "layout" when layout.eta exists. */
  layout?: string | false;
}

export interface ViewRenderer {
  render(name: string, locals?: object, options?: RenderOptions): Promise<string>;
}

const DEFAULT_LAYOUT = "layout";

/** Eta is loaded on the first render: an app without views never pays its memory. */
async function createEta(options: ViewRendererOptions): Promise<Eta> {
  const { Eta } = await import("eta");
  return new Eta({
    views: options.views,
    cache: options.cache,
    cacheFilepaths: options.cache,
    // Values built with the html`` template (and the layout's body) are markup already.
    escapeFunction: (value: unknown) => (value instanceof SafeHtml ? value.toString() : escapeHtml(String(value))),
  });
}

export function createViewRenderer(options: ViewRendererOptions): ViewRenderer {
  let loading: Promise<Eta> | undefined;
  let defaultLayoutExists: boolean | undefined;
  const hasDefaultLayout = (): boolean => {
    if (defaultLayoutExists !== undefined) return defaultLayoutExists;
    const exists = existsSync(join(options.views, `${DEFAULT_LAYOUT}.eta`));
    if (options.cache) defaultLayoutExists = exists;
    return exists;
  };

  return {
    async render(name, locals = {}, renderOptions = {}) {
      const eta = await (loading ??= createEta(options));
      const body = eta.render(name, locals);
      const layout = renderOptions.layout ?? (hasDefaultLayout() ? DEFAULT_LAYOUT : false);
      if (layout === false) return body;
      return eta.render(layout, { ...locals, body: raw(body) });
    },
  };
}
