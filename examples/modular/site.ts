// The public site: the login screen in front, pages behind it.
import { App, html } from "frank";
import { LoginScreen, layout } from "./login-screen.js";

export class Site extends App<{ user: string | undefined }> {
  constructor() {
    super();
    this.set({ root: import.meta.dirname, sessions: true });
    this.use(LoginScreen); // answers /login and /logout; everything else comes here

    this.before((c) => void c.set("user", c.session.user as string | undefined));

    this.get("/", (c) =>
      c.html(
        layout(
          "Home",
          html`<p>${c.get("user") ? `Hello ${c.get("user")}.` : "Hello, stranger."}</p>
            <p><a href="/account">Your account</a> · <a href="/admin/">Admin</a></p>`,
        ),
      ),
    );

    this.get("/account", (c) => {
      const user = c.get("user");
      if (!user) return c.redirect(`/login?back=${encodeURIComponent(c.url("", false))}`);
      return c.html(
        layout(
          "Account",
          html`<p class="user">Logged in as ${user}.</p>
            <form method="post" action="/logout"><button>Log out</button></form>`,
        ),
      );
    });
  }
}
