// Hello, world in frank. Try `npx frank examples/hello/app.ts`, then open /hello/frank.
import { App } from "frank";

const app = new App();
app.get("/", () => "Hello, world! Try /hello/yourname.");
app.get("/hello/:name", (c) => {
  // Plain text: the name comes from the URL and must never turn into HTML.
  c.type("text/plain");
  return `Hello ${c.params.name}!`;
});

export default app;
