// Sinatra's modular style in frank: Apps as classes, one used as middleware in another
// (site.ts uses LoginScreen) and one mounted under a prefix (admin.ts at /admin).
// Run it with `npx frank examples/modular/app.ts` and open http://localhost:4567/admin/.
import { Builder } from "frank";
import { Admin } from "./admin.js";
import { Site } from "./site.js";

export default new Builder().map("/admin", new Admin()).run(new Site());
