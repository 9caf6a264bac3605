// The admin area, an App mounted under /admin (Builder.map): it knows only its own paths, and
// c.to() puts the mount path back (Rack's SCRIPT_NAME), so links and redirects stay inside it.
import { App, html } from "frank";
import { layout } from "./login-screen.js";

export class Admin extends App {
  constructor() {
    super();
    this.set({ root: import.meta.dirname, sessions: true });

    this.before((c) => {
      // "/login" is the site's, outside the mount: a plain path leaves it alone (prefixedRedirects is off).
      if (!c.session.user) c.redirect(`/login?back=${encodeURIComponent(c.url("", false))}`);
    });

    this.get("/", (c) =>
      c.html(
        layout("Admin", html`<p>Welcome, ${String(c.session.user)}.</p><a href="${c.to("/reports")}">Reports</a>`),
      ),
    );

    this.get("/reports", (c) =>
      c.html(
        layout(
          "Reports",
          html`<p class="refreshed">${c.flash.notice ?? "Not refreshed yet."}</p>
            <form method="post" action="${c.to("/reports/refresh")}"><button>Refresh</button></form>`,
        ),
      ),
    );

    this.post("/reports/refresh", (c) => {
      c.flash.notice = "Reports refreshed.";
      return c.redirect(c.to("/reports")); // /admin/reports
    });
  }
}
