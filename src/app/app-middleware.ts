// The middleware an App puts around its dispatch from its settings, outside what `use` added:
// host authorization (outermost), method override, then the cookie session, as Sinatra's build
// puts its default middleware (MethodOverride before sessions) before the app's own. So every
// middleware the app uses sees the session, whatever order the two were written in: above all
// protection(), whose forgery guard needs the session to know a request rides on one.
import type { Middleware } from "../http/types.js";
import { cookieSession } from "../middleware/cookie-session.js";
import { developmentSecret } from "../middleware/development-secret.js";
import { hostAuthorization } from "../middleware/host-authorization.js";
import { methodOverride } from "../middleware/method-override.js";
import { hostAuthorizationOf, rootOf, type Settings } from "./settings.js";

export function appMiddleware(settings: Settings, used: readonly Middleware[]): Middleware[] {
  const middleware: Middleware[] = [];
  const hostGuard = hostAuthorizationOf(settings);
  if (hostGuard) middleware.push(hostAuthorization(hostGuard));
  if (settings.methodOverride) middleware.push(methodOverride());
  if (settings.sessions) {
    const options = typeof settings.sessions === "object" ? settings.sessions : {};
    const development = settings.environment === "development" && !process.env.SESSION_SECRET;
    middleware.push(
      cookieSession({
        environment: settings.environment,
        secret: settings.sessionSecret,
        developmentSecret: development ? developmentSecret(rootOf(settings)) : undefined,
        ...options,
      }),
    );
  }
  middleware.push(...used);
  return middleware;
}
