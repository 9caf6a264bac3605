/**
 * frank: Sinatra-style web apps for TypeScript.
 * The App DSL, the Web-standard handler contract, and serve() — the launcher's code in a function.
 */
export { App, NotFound, type RouteHandler, type ErrorHandler, type RouteOptions } from "./app/app.js";
export { Context } from "./app/context.js";
export type { Conditions, Condition, ConditionFactory } from "./app/conditions.js";
export type { Settings, KnownSettings } from "./app/settings.js";
export type { StreamWriter } from "./app/stream.js";
export { type HandlerResult, Reply, reply, type ReplyBody } from "./app/result.js";
export type { EventStream, EventStreamOptions } from "./app/sse.js";
export type {
  WebSocketEvents,
  WebSocketHandler,
  WebSocketMessage,
  WebSocketPeer,
  WebSocketRouteOptions,
} from "./app/websocket-route.js";
export type { ServerSentEvent } from "./http/sse.js";
export { readForm, type FormFields, type FormOptions, type ParsedForm } from "./http/form.js";
export type { FormLimits } from "./http/form-limits.js";
export { formParts, type FormPart, type FormFieldPart, type FormFilePart } from "./http/form-parts.js";
export { UploadedFile } from "./http/uploaded-file.js";
export type { Handler, Middleware, FetchApp, Servable } from "./http/types.js";
export { toHandler } from "./http/types.js";
export { compose } from "./http/compose.js";
export { Builder } from "./http/builder.js";
export { HttpError } from "./http/http-error.js";
export { isLocalUrl } from "./http/location.js";
export { CookieJar, type CookieOptions } from "./http/cookies.js";
export type { PathParams } from "./router/params.js";
export { ValidationError, type RouteSchemas, type ProblemIssue, type ValidationProblem } from "./app/validation.js";
export type { StandardSchemaV1 } from "./app/standard-schema.js";
export type { OpenApiDocument, OpenApiInfo, OpenApiOperation, OpenApiSettings } from "./app/openapi.js";
export type { RouteParams } from "./router/pattern.js";
export { serve, type ServeOptions, type RunningServer } from "./server/serve.js";
export { html, raw, SafeHtml } from "./app/html.js";
