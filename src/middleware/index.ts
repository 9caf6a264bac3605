/**
 * frank's middleware library: each one a Web-standard `Middleware` that wraps any fetch
 * handler (a frank App, a Hono app, a plain function). Only what an app composes or calls is
 * exported here; the pieces frank itself builds on (page renderers, log formatters, the
 * session lookup) are imported by path inside frank and are not part of the public surface.
 */
export { accessLog, errorLog, type AccessLogOptions, type LogFormat, type LogOptions } from "./access-log.js";
export { basicAuth, getBasicAuthUser, type BasicAuthOptions } from "./basic-auth.js";
export { bearerAuth, getBearerToken, type BearerAuthOptions } from "./bearer-auth.js";
export { safeEqual } from "./authorization.js";
export { jwtAuth, getJwtPayload, type JwtAuthOptions, type JwtPayload } from "./jwt-auth.js";
export {
  rateLimit,
  MemoryRateLimitStore,
  clientKey,
  type RateLimitOptions,
  type RateLimitStore,
  type RateLimitHit,
} from "./rate-limit.js";
export { clientAddressOf } from "../http/client-address.js";
export { compression, type CompressionOptions, type Encoding } from "./compression.js";
export { cookieSession, getSession, type CookieSessionOptions, type Session } from "./cookie-session.js";
export { cors, type CorsOptions, type CorsOrigin } from "./cors.js";
export { hostAuthorization, type HostAuthorizationOptions, type HostPattern } from "./host-authorization.js";
export { methodOverride, type MethodOverrideOptions } from "./method-override.js";
export {
  protection,
  authenticityToken,
  AUTHENTICITY_TOKEN_FIELD,
  AUTHENTICITY_TOKEN_HEADER,
  type ProtectionOptions,
  type HstsOptions,
} from "./protection.js";
export { requestId, getRequestId, type RequestIdOptions } from "./request-id.js";
export { requestLogFields, type RequestLogFields } from "./log-fields.js";
export { traceIdsOf, recordTraceIds, type TraceIds } from "../http/trace-ids.js";
export { recordRoute, routeOf } from "../http/route-record.js";
export { showExceptions, type ShowExceptionsOptions } from "./show-exceptions.js";
