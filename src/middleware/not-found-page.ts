import { bufferedResponse } from "../http/buffered-response.js";
import { requestPath } from "../http/request-path.js";
import { html, type SafeHtml } from "./html.js";
import { DEV_PAGE_HEADERS, DEV_TEXT_HEADERS, page, wantsHtml } from "./dev-pages/page.js";

export interface RouteSummary {
  method: string;
  pattern: string;
}

// The verbs with a method of their own on App; others are added with app.route().
const DSL_VERBS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "LINK", "UNLINK"]);

/**
 * The development 404 page: says which request found no route, shows the code that
 * would add it, and lists the routes that exist (those for the same path under another
 * method are marked: the usual cause is a GET where a POST was meant). 404 with
 * `X-Cascade: pass`, so an outer router may still try.
 */
export function renderNotFoundPage(req: Request, routes: ReadonlyArray<RouteSummary>): Response {
  const path = decodedPath(req);
  const suggestion = suggestedRoute(req.method, path);
  const samePath = (route: RouteSummary) => route.pattern === path && route.method.toUpperCase() !== req.method;
  // The list of routes is the same for every request unless a route matches the path under
  // another method (then it is marked): built once per route table, not per request.
  const marked = routes.some(samePath);
  const body = req.method === "HEAD" ? null : undefined;

  if (!wantsHtml(req)) {
    const listing = marked ? routeLines(routes, samePath) : cachedListing(routes).text;
    const text = [
      `404 Not Found: no route matches ${req.method} ${path}`,
      "",
      "Add it:",
      ...suggestion.split("\n").map((line) => `  ${line}`),
      "",
      listing,
      "",
      "(development environment: production shows a terse Not Found page)",
      "",
    ].join("\n");
    return bufferedResponse({
      status: 404,
      headers: { ...DEV_TEXT_HEADERS, "x-cascade": "pass" },
      setCookies: [],
      body: body === null ? null : text,
    });
  }

  const table = marked ? routeTable(routes, samePath) : cachedListing(routes).html;
  const main = html`
<header class="banner notfound"><div class="wrap">
  <span class="kicker">404 Not Found</span>
  <h1 id="not-found-message">No route matches <code>${req.method} ${path}</code></h1>
  <p class="request-line mono">${req.url}</p>
</div></header>
<main class="wrap">
  <section class="card" id="suggestion"><h2>Add this route to your app</h2>
    <pre class="code">${highlight(suggestion)}</pre>
  </section>
  <section class="card" id="routes"><h2>Routes <small>${routes.length} defined; the first match wins</small></h2>
    ${table}
  </section>
</main>`;
  return bufferedResponse({
    status: 404,
    headers: { ...DEV_PAGE_HEADERS, "x-cascade": "pass" },
    setCookies: [],
    body: body === null ? null : page(`404 ${req.method} ${path} · frank`, main),
  });
}

const listings = new WeakMap<ReadonlyArray<RouteSummary>, { text: string; html: SafeHtml }>();

/** The unmarked route list of a route table (the App passes the same array while its routes stay the same). */
function cachedListing(routes: ReadonlyArray<RouteSummary>): { text: string; html: SafeHtml } {
  let listing = listings.get(routes);
  if (listing === undefined) {
    const none = () => false;
    listing = { text: routeLines(routes, none), html: routeTable(routes, none) };
    listings.set(routes, listing);
  }
  return listing;
}

function routeLines(routes: ReadonlyArray<RouteSummary>, samePath: (route: RouteSummary) => boolean): string {
  if (routes.length === 0) return "This app has no routes yet.";
  const width = Math.max(6, ...routes.map((r) => r.method.length));
  return [
    `Routes (${routes.length}, first match wins):`,
    ...routes.map(
      (r) =>
        `  ${r.method.toUpperCase().padEnd(width)}  ${r.pattern}${samePath(r) ? "   <- same path, other method" : ""}`,
    ),
  ].join("\n");
}

function routeTable(routes: ReadonlyArray<RouteSummary>, samePath: (route: RouteSummary) => boolean): SafeHtml {
  return routes.length === 0
    ? html`<p class="empty">This app has no routes yet.</p>`
    : html`<table class="routes">${routes.map(
        (r) =>
          html`<tr class="${samePath(r) ? "near" : ""}"><td class="method">${r.method.toUpperCase()}</td><td>${r.pattern}${samePath(r) && html`<span class="hint">same path, other method</span>`}</td></tr>`,
      )}</table>`;
}

/** The source a user would paste into the app to answer this request. */
export function suggestedRoute(method: string, path: string): string {
  // Characters with a meaning in Sinatra patterns are escaped so the route matches literally.
  const pattern = JSON.stringify(path.replace(/[:*?()|{}\\]/g, "\\$&"));
  const verb = method.toUpperCase();
  const opening = DSL_VERBS.has(verb)
    ? `app.${verb.toLowerCase()}(${pattern}, (c) => {`
    : `app.route(${JSON.stringify(verb)}, ${pattern}, (c) => {`;
  return `${opening}\n  return "Hello from ${path.replace(/["\\]/g, "")}";\n});`;
}

function decodedPath(req: Request): string {
  const path = requestPath(req.url);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Just enough colour to read the snippet: keywords, strings, the rest plain. */
function highlight(code: string): SafeHtml {
  const parts: SafeHtml[] = [];
  const token = /("(?:[^"\\]|\\.)*")|\b(return|app)\b/g;
  let last = 0;
  for (const match of code.matchAll(token)) {
    parts.push(html`${code.slice(last, match.index)}`);
    parts.push(match[1] ? html`<span class="s">${match[1]}</span>` : html`<span class="k">${match[2]}</span>`);
    last = match.index! + match[0].length;
  }
  parts.push(html`${code.slice(last)}`);
  return html`${parts}`;
}
