// The middleware an App puts around its dispatch from its settings, around what `use` added:
// host authorization (outermost), method override, then the cookie session (innermost), as
// Sinatra's setup_default_middleware orders MethodOverride before sessions.
import type { Middleware } from "../http/types.js";
import { cookieSession } from "../middleware/cookie-session.js";
import { developmentSecret } from "../middleware/development-secret.js";
import { hostAuthorization } from "../middleware/host-authorization.js";
import { methodOverride } from "../middleware/method-override.js";
import { hostAuthorizationOf, rootOf, type Settings } from "./settings.js";

export function appMiddleware(settings: Settings, used: readonly Middleware[]): Middleware[] {
  const middleware = [...used];
  const hostGuard = hostAuthorizationOf(settings);
  if (hostGuard) middleware.unshift(hostAuthorization(hostGuard));
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
  return middleware;
}
