// A todo list: forms, sessions, flash messages and a layout — the classic Sinatra app, in frank.
// Run it with `npx frank examples/todo/app.ts` and open http://localhost:4567/.
import { App } from "frank";
import { authenticityToken, protection } from "frank/middleware";

interface Todo {
  id: number;
  title: string;
  done: boolean;
}

// Per-request variables: the before filter finds the visitor's list, routes and views use it.
const app = new App<{ todos: Todo[] }>().helpers({
  // Every form carries it (views/index.eta): protection() refuses a form post without it.
  csrfToken() {
    return authenticityToken(this.req);
  },
});
app.enable("sessions", "methodOverride"); // methodOverride: <input name="_method" value="delete">
// Security headers, and a 403 for a form another site posts with this visitor's session cookie.
app.use(protection());

// Each visitor's list, kept in memory under an id in their session (a database in a real app).
const lists = new Map<string, Todo[]>();
let nextId = 1;

app.before((c) => {
  if (typeof c.session.list !== "string") c.session.list = crypto.randomUUID();
  const id = c.session.list as string;
  if (!lists.has(id)) lists.set(id, []);
  c.set("todos", lists.get(id)!);
});

app.get("/", (c) => c.render("index", { title: "Todos" }));

app.post("/todos", (c) => {
  const title = String(c.params.title ?? "").trim();
  if (title === "") {
    // Shown by this response only: the form is rendered again, with what was typed.
    c.flash.now.error = "A todo needs a title.";
    c.status(422);
    return c.render("index", { title: "Todos" });
  }
  c.get("todos").push({ id: nextId++, title, done: false });
  c.flash.notice = `Added “${title}”.`; // shown by the next page
  return c.redirect("/");
});

app.post("/todos/:id/toggle", (c) => {
  const todo = c.get("todos").find((t) => t.id === Number(c.params.id));
  if (!todo) return c.notFound();
  todo.done = !todo.done;
  return c.redirect("/");
});

app.delete("/todos/:id", (c) => {
  const todos = c.get("todos");
  const index = todos.findIndex((t) => t.id === Number(c.params.id));
  if (index < 0) return c.notFound();
  const [removed] = todos.splice(index, 1);
  c.flash.notice = `Deleted “${removed.title}”.`;
  return c.redirect("/");
});

app.notFound((c) => c.render("not-found", { title: "Not found" }));

export default app;
