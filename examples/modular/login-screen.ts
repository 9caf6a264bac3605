// The login screen, an App of its own used as middleware in front of others (Sinatra's
// `use LoginScreen`): it answers /login and /logout, and hands every other request on.
import { App, html } from "frank";

export class LoginScreen extends App {
  constructor() {
    super();
    this.set({ root: import.meta.dirname, sessions: true });

    this.get("/login", (c) =>
      c.html(
        layout(
          "Log in",
          html`<form method="post" action="/login">
            <input type="hidden" name="back" value="${c.params.back ?? "/"}">
            <label>Name <input name="name" autofocus></label>
            <button>Log in</button>
          </form>`,
        ),
      ),
    );

    this.post("/login", (c) => {
      const name = String(c.params.name ?? "").trim();
      if (name === "") return c.redirect("/login");
      c.session.user = name;
      return c.redirect(localPath(c.params.back));
    });

    this.post("/logout", (c) => {
      c.session.clear();
      return c.redirect("/");
    });
  }
}

/** Only a path of this site: `back=//evil.example` must not send the user elsewhere. */
function localPath(back: unknown): string {
  return typeof back === "string" && back.startsWith("/") && !back.startsWith("//") && !back.includes("\\")
    ? back
    : "/";
}

export function layout(title: string, body: unknown) {
  return html`<!doctype html>
    <html lang="en">
      <head><meta charset="utf-8"><title>${title}</title></head>
      <body><h1>${title}</h1>${body}</body>
    </html>`.toString();
}
