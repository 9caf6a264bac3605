import { inspect } from "node:util";
import { statusOf } from "../http/error-status.js";
import type { Middleware } from "../http/types.js";
import { html, type SafeHtml } from "./html.js";
import { DEV_PAGE_HEADERS, DEV_TEXT_HEADERS, page, wantsHtml } from "./dev-pages/page.js";
import { MASK, requestDetails, type Pairs, type RequestDetails } from "./dev-pages/request-details.js";
import { stackFrames, type StackFrame } from "./dev-pages/stack.js";

export interface ErrorPageOptions {
  /** The app's folder: its frames are shown relative to it. Default process.cwd(). */
  appRoot?: string;
}

export interface ShowExceptionsOptions extends ErrorPageOptions {
  /** Where the error is logged. Default console.error with the request line. */
  log?: (error: unknown, req: Request) => void;
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;
const MAX_CAUSES = 5;

/**
 * Development only: catches what the inner handler throws, logs it, and answers with
 * the error page. Form requests are cloned first so the page can show the form even
 * after the handler read the body.
 */
export function showExceptions(options: ShowExceptionsOptions = {}): Middleware {
  const log =
    options.log ?? ((error: unknown, req: Request) => console.error(`${req.method} ${req.url} failed:`, error));
  return (next) => async (req) => {
    const spare = req.body !== null && FORM_TYPES.test(req.headers.get("content-type") ?? "") ? req.clone() : undefined;
    try {
      return await next(req);
    } catch (error) {
      log(error, req);
      return renderErrorPage(error, spare ?? req, options);
    }
  };
}

interface ErrorReport {
  className: string;
  message: string;
  frames: StackFrame[];
}

/**
 * The development error page: the error's class and message, the stack with source
 * excerpts (the app's frames first-class, frank's, dependencies' and Node's folded
 * away), the causes, and the request with secrets masked. HTML for browsers, plain
 * text for everything else, with the error's status (http/error-status.ts): 500 for most.
 */
export async function renderErrorPage(error: unknown, req: Request, options: ErrorPageOptions = {}): Promise<Response> {
  const appRoot = options.appRoot ?? process.cwd();
  const status = statusOf(error);
  const reports: ErrorReport[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth <= MAX_CAUSES; depth++) {
    reports.push({ ...describe(current), frames: await stackFrames(current, appRoot) });
    current = current instanceof Error ? current.cause : undefined;
  }
  const details = await requestDetails(req);
  if (!wantsHtml(req))
    return new Response(req.method === "HEAD" ? null : errorText(reports, details), {
      status,
      headers: DEV_TEXT_HEADERS,
    });
  return new Response(req.method === "HEAD" ? null : errorHtml(reports, details), {
    status,
    headers: DEV_PAGE_HEADERS,
  });
}

function describe(error: unknown): { className: string; message: string } {
  if (error instanceof Error) {
    const className =
      error.constructor?.name && error.constructor.name !== "Error" ? error.constructor.name : error.name;
    return { className, message: error.message };
  }
  // `throw "oops"` or `throw { code: 1 }`: say what was thrown.
  return {
    className: `thrown ${error === null ? "null" : typeof error}`,
    message: inspect(error, { depth: 3, breakLength: 100 }),
  };
}

function errorHtml(reports: ErrorReport[], details: RequestDetails): string {
  const [main, ...causes] = reports;
  const origin = main.frames.find((f) => f.kind === "app") ?? main.frames.find((f) => f.file);
  const path = new URL(details.url).pathname;
  const body = html`
<header class="banner"><div class="wrap">
  <span class="kicker">${main.className}</span>
  <h1 id="error-message">${main.message || "(no message)"}</h1>
  ${origin && html`<p class="where">in <code>${origin.fn ?? "(top level)"}</code> at <code>${origin.displayFile}:${origin.line}</code></p>`}
  <p class="request-line mono">${details.method} ${path}</p>
</div></header>
<main class="wrap">
  <section class="card" id="backtrace"><h2>Backtrace <small>${main.frames.length} frames; your app's are highlighted</small></h2>
    ${framesHtml(main.frames)}
  </section>
  ${causes.map(
    (cause, i) => html`<section class="card cause"><h2>Caused by <small>${i > 0 ? `(cause ${i + 1})` : ""}</small></h2>
      <p class="message-block"><b>${cause.className}</b>: ${cause.message}</p>
      ${framesHtml(cause.frames)}</section>`,
  )}
  <section class="card" id="request"><h2>Request <small class="mono">${details.method} ${details.url}</small></h2>
    <h3 class="sub">Query</h3>${pairsHtml(details.query, "no query string")}
    ${details.form !== undefined && html`<h3 class="sub">Form</h3>${typeof details.form === "string" ? html`<p class="empty">${details.form}</p>` : pairsHtml(details.form, "empty form")}`}
    <h3 class="sub">Cookies</h3>${pairsHtml(details.cookies, "no cookies")}
    <h3 class="sub">Headers</h3>${pairsHtml(details.headers, "no headers")}
  </section>
</main>`;
  return page(`${main.className}: ${main.message} · frank`, body);
}

/** App frames open with source; each run of other frames folds into one line. */
function framesHtml(frames: StackFrame[]): SafeHtml {
  if (frames.length === 0) return html`<p class="empty">No stack trace.</p>`;
  const groups: StackFrame[][] = [];
  for (const frame of frames) {
    const last = groups.at(-1);
    if (last && frame.kind !== "app" && last[0].kind !== "app") last.push(frame);
    else groups.push([frame]);
  }
  return html`<div class="frames">${groups.map((group) =>
    group[0].kind === "app"
      ? frameHtml(group[0])
      : html`<details class="others"><summary>${group.length} ${group.length === 1 ? "frame" : "frames"} in ${summarize(group)}</summary>${group.map(frameHtml)}</details>`,
  )}</div>`;
}

function frameHtml(frame: StackFrame): SafeHtml {
  const label = frame.kind === "dependency" ? "node_modules" : frame.kind;
  return html`<div class="frame ${frame.kind === "app" ? "app" : "other"}">
  <div class="frame-head"><span class="tag">${label}</span><span class="fn mono">${frame.fn ?? "(top level)"}</span>${frame.file && html`<span class="loc mono">${frame.displayFile}:${frame.line}:${frame.column}</span>`}</div>
  ${frame.source && html`<pre class="source">${frame.source.map((l) => html`<span class="l${l.current ? " current" : ""}"><span class="ln">${l.number}</span>${l.text}</span>`)}</pre>`}
</div>`;
}

function summarize(frames: StackFrame[]): string {
  const names = { frank: "frank", dependency: "node_modules", node: "Node", app: "app" };
  return [...new Set(frames.map((f) => names[f.kind]))].join(", ");
}

function pairsHtml(pairs: Pairs, emptyText: string): SafeHtml {
  if (pairs.length === 0) return html`<p class="empty">${emptyText}</p>`;
  return html`<table class="kv">${pairs.map(([name, value]) => html`<tr><th>${name}</th><td>${valueHtml(value)}</td></tr>`)}</table>`;
}

function valueHtml(value: string): SafeHtml {
  if (!value.includes(MASK)) return html`${value}`;
  return html`${value.split(MASK).map((part, i) => html`${i > 0 && html`<span class="masked">${MASK}</span>`}${part}`)}`;
}

function errorText(reports: ErrorReport[], details: RequestDetails): string {
  const lines: string[] = [];
  reports.forEach((report, i) => {
    lines.push(`${i === 0 ? "" : "\nCaused by: "}${report.className}: ${report.message}`);
    const origin = report.frames.find((f) => f.kind === "app");
    if (origin?.source) {
      lines.push("", `${origin.displayFile}:${origin.line} in ${origin.fn ?? "(top level)"}`);
      for (const l of origin.source) lines.push(`${l.current ? ">" : " "} ${String(l.number).padStart(5)} | ${l.text}`);
    }
    lines.push("");
    for (const f of report.frames) {
      const where = f.file ? ` (${f.displayFile}:${f.line}:${f.column})` : "";
      lines.push(
        `  ${f.kind === "app" ? "app  " : f.kind === "frank" ? "frank" : f.kind === "dependency" ? "deps " : "node "}  ${f.fn ?? "(top level)"}${where}`,
      );
    }
  });
  lines.push("", `${details.method} ${details.url}`);
  const section = (title: string, pairs: Pairs) => {
    if (pairs.length === 0) return;
    lines.push("", `${title}:`);
    for (const [name, value] of pairs) lines.push(`  ${name}: ${value}`);
  };
  section("Query", details.query);
  if (typeof details.form === "string") lines.push("", `Form: ${details.form}`);
  else if (details.form) section("Form", details.form);
  section("Cookies", details.cookies);
  section("Headers", details.headers);
  lines.push("", "(development environment: production shows a terse page and logs this)", "");
  return lines.join("\n");
}
