/**
 * The escaping `html` tagged template for small pages:
 *
 *   c.html(html`<p>Hello ${c.params.name}</p>`)   // the name is escaped
 *
 * Implemented in middleware/html.ts, where the development pages use it too.
 */
export { html, raw, escapeHtml, SafeHtml } from "../middleware/html.js";
