// The seed app: a public folder and one redirect, the Sinatra app of the seed story in frank.
// Run it with `npx frank examples/seed/app.ts` (or `npx frank -p 8080 examples/seed/app.ts`).
import { App } from "frank";

const app = new App();
app.get("/", (c) => c.redirect("/index.html"));

export default app;
