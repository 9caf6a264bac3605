// A JSON API with error handlers: every answer is JSON, errors included.
// Run it with `npx frank examples/json-api/app.ts`, then:
//   curl localhost:4567/books
//   curl --json '{"title":"Dune","author":"Frank Herbert"}' localhost:4567/books
import { App, HttpError } from "frank";

interface Book {
  id: number;
  title: string;
  author: string;
}

/** A request that cannot be stored as it is: answered 422 with the field at fault. */
class ValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const app = new App();
const books = new Map<number, Book>([[1, { id: 1, title: "The Left Hand of Darkness", author: "Ursula K. Le Guin" }]]);
let nextId = 2;

// As Sinatra's `before { content_type :json }`: error handlers keep it, so errors are JSON too.
app.before((c) => void c.type("json"));

app.get("/books", () => ({ books: [...books.values()] }));

app.get("/books/:id", (c) => books.get(Number(c.params.id)) ?? c.notFound(`no book ${c.params.id}`));

app.post("/books", async (c) => {
  const book = parseBook(await c.json());
  const created = { id: nextId++, ...book };
  books.set(created.id, created);
  c.status(201).header("location", c.url(`/books/${created.id}`));
  return created;
});

app.put("/books/:id", async (c) => {
  const id = Number(c.params.id);
  if (!books.has(id)) c.notFound(`no book ${c.params.id}`);
  const book = { id, ...parseBook(await c.json()) };
  books.set(id, book);
  return book;
});

app.delete("/books/:id", (c) => (books.delete(Number(c.params.id)) ? 204 : c.notFound(`no book ${c.params.id}`)));

app.get("/books/:id/export", () => {
  throw new Error("exports are not written yet"); // an unexpected failure: the 500 handler answers
});

// Error handlers: a handler for the error's class answers first (the most specific class),
// the one for every error last.
app.error((c, error) => {
  c.logger.error("request failed", { error: String(error) });
  return { error: "internal error" }; // the details go to the log, not to the client
});
app.error(HttpError, (_c, error: HttpError) => ({ error: error.expose ? error.message : "request failed" }));
app.error(ValidationError, (c, error: ValidationError) => {
  c.status(422);
  return { error: error.message, field: error.field };
});

function parseBook(body: unknown): Omit<Book, "id"> {
  const fields = (body ?? {}) as Partial<Record<keyof Book, unknown>>;
  for (const field of ["title", "author"] as const) {
    if (typeof fields[field] !== "string" || fields[field] === "") {
      throw new ValidationError(field, `${field} is required`);
    }
  }
  return { title: fields.title as string, author: fields.author as string };
}

export default app;
