import { html, raw, type SafeHtml } from "../html.js";

/**
 * The shell shared by the development pages: one self-contained HTML document with
 * inline CSS (no scripts, no external assets), served with a Content-Security-Policy
 * that allows nothing else, since the page echoes request data.
 */
export const DEV_PAGE_HEADERS = {
  "content-type": "text/html;charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
} as const;

export const DEV_TEXT_HEADERS = {
  "content-type": "text/plain;charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
} as const;

/**
 * Browsers name text/html in Accept; curl, wget, fetch() and API clients send `*\/*` or
 * nothing. Those get plain text that reads well in a terminal (as Sinatra does for curl).
 */
export function wantsHtml(req: Request): boolean {
  const accept = req.headers.get("accept") ?? "";
  return accept.split(",").some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return (type === "text/html" || type === "application/xhtml+xml") && (q === undefined || Number(q.slice(2)) > 0);
  });
}

export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
${body}
<footer class="wrap">You see this page because frank runs in the <b>development</b> environment. In production the client gets a terse page and the details go to the log only.</footer>
</body>
</html>
`.toString();
}

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f4f5f7;color:#1f2328;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:anywhere}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:13px}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px}
header.banner{background:#1f2328;color:#f6f8fa;padding:28px 0 24px;border-bottom:4px solid #d1242f}
header.banner.notfound{border-bottom-color:#bf8700}
.kicker{display:inline-block;font:600 13px/1.6 ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace;color:#fff;background:#d1242f;border-radius:4px;padding:1px 8px}
.notfound .kicker{background:#bf8700}
h1{margin:10px 0 6px;font-size:26px;line-height:1.3;font-weight:600;white-space:pre-wrap}
h1 code{font-size:.9em;color:#ffd8b5}
.where{margin:0;color:#c9d1d9}
.where code{color:#ffd8b5;font-size:14px}
.request-line{margin:6px 0 0;color:#9198a1}
main.wrap{padding-top:24px;padding-bottom:8px}
section.card{background:#fff;border:1px solid #d1d9e0;border-radius:8px;margin:0 0 20px;overflow:hidden}
section.card>h2{margin:0;padding:10px 16px;font-size:15px;font-weight:600;background:#f6f8fa;border-bottom:1px solid #d1d9e0}
section.card>h2 small{font-weight:400;color:#59636e;margin-left:8px}
.card-body{padding:12px 16px}
.frame{border-top:1px solid #eef0f2}
.frame:first-child{border-top:0}
.frame-head{display:flex;gap:10px;align-items:baseline;padding:8px 16px;min-width:0}
.tag{flex:none;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;border-radius:3px;padding:1px 6px;background:#eef0f2;color:#59636e}
.frame.app .tag{background:#d1242f;color:#fff}
.frame.app{border-left:4px solid #d1242f}
.frame.app .fn{font-weight:700;color:#1f2328}
.fn{color:#59636e}
.loc{color:#0550ae;min-width:0}
.frame.other .loc,.frame.other .fn{color:#818b98}
pre.source{margin:0 16px 12px;padding:8px 0;background:#f6f8fa;border:1px solid #e5e8eb;border-radius:6px;overflow-x:auto;line-height:1.55}
pre.source .ln{display:inline-block;width:4.5em;padding-right:12px;text-align:right;color:#8c959f;user-select:none}
pre.source .l{display:block;padding-right:12px;white-space:pre}
pre.source .l.current{background:#ffebe9;box-shadow:inset 3px 0 0 #d1242f}
pre.source .l.current .ln{color:#d1242f;font-weight:700}
details.others>summary{cursor:pointer;padding:8px 16px;color:#59636e;font-size:13px;list-style-position:inside;border-top:1px solid #eef0f2}
details.others>summary:hover{background:#f6f8fa}
details.others[open]>summary{border-bottom:1px dashed #e5e8eb}
.message-block{margin:0;padding:12px 16px;white-space:pre-wrap;background:#fff8f7}
table.kv{width:100%;border-collapse:collapse;table-layout:fixed}
table.kv th,table.kv td{text-align:left;vertical-align:top;padding:5px 16px;border-top:1px solid #eef0f2;word-break:break-all}
table.kv tr:first-child th,table.kv tr:first-child td{border-top:0}
table.kv th{width:30%;max-width:260px;font-weight:500;color:#59636e}
table.kv td{font-family:ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:13px}
.masked{color:#9a6700;font-style:italic}
.empty{color:#818b98;padding:8px 16px;margin:0}
h3.sub{margin:0;padding:10px 16px 4px;font-size:13px;font-weight:600;color:#59636e;text-transform:uppercase;letter-spacing:.04em;border-top:1px solid #eef0f2}
h3.sub:first-child{border-top:0}
pre.code{margin:0;padding:14px 16px;background:#0d1117;color:#e6edf3;overflow-x:auto;white-space:pre;line-height:1.55}
pre.code .k{color:#ff7b72}
pre.code .s{color:#a5d6ff}
pre.code .c{color:#8b949e}
table.routes{width:100%;border-collapse:collapse;table-layout:fixed}
table.routes td{padding:5px 16px;border-top:1px solid #eef0f2;font-family:ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
table.routes tr:first-child td{border-top:0}
table.routes td.method{width:110px;font-weight:700;color:#0550ae}
table.routes tr.near td{background:#fff8c5}
table.routes .hint{font-family:system-ui,sans-serif;color:#9a6700;margin-left:8px;font-size:12px}
footer.wrap{color:#59636e;font-size:13px;padding-top:4px;padding-bottom:32px}
`;
