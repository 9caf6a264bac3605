/**
 * frank/otel: one OpenTelemetry server span per request, named by the route pattern
 * (`GET /hello/:name`), with the HTTP semantic conventions' attributes, made from the
 * `frank.request` and `frank.route` diagnostics channels (see http/request-channels.ts).
 *
 * ```ts
 * // otel.ts, loaded with `frank serve -r ./otel.ts app.ts`
 * import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
 * import { instrumentFrank } from "frank/otel";
 * new NodeTracerProvider({ spanProcessors: [...] }).register();
 * instrumentFrank();
 * ```
 *
 * The span is the active context while the app answers (a handler's own spans are its
 * children) and continues an incoming `traceparent` through the registered propagator.
 * `@opentelemetry/api` is an optional peer dependency: only apps that import frank/otel need it.
 */
import diagnosticsChannel from "node:diagnostics_channel";
import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { REQUEST_CHANNEL, ROUTE_CHANNEL, type RequestMessage, type RouteMessage } from "../http/request-channels.js";
import { splitRequestUrl } from "../http/request-path.js";
import { recordTraceIds } from "../http/trace-ids.js";

export interface FrankInstrumentationOptions {
  /** Where spans come from. Default: the globally registered provider (`provider.register()`). */
  tracerProvider?: TracerProvider;
  /** Requests that get no span of their own; their handlers still see an incoming trace as the parent. */
  ignore?: (request: Request) => boolean;
}

/** Methods the HTTP semantic conventions name as they are; others are `_OTHER`. */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]);

const headerGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/** The name (brackets taken off an IPv6 literal) and port of a Host header; no regular expression. */
export function hostAndPort(host: string | null): { address?: string; port?: number } {
  if (!host) return {};
  const close = host.startsWith("[") ? host.indexOf("]") : -1;
  const colon = host.indexOf(":", close + 1);
  const name = colon === -1 ? host : host.slice(0, colon);
  const address = close > 0 ? host.slice(1, close) : name;
  const digits = colon === -1 ? "" : host.slice(colon + 1);
  let port: number | undefined;
  if (digits.length > 0 && digits.length <= 5 && [...digits].every((c) => c >= "0" && c <= "9")) port = Number(digits);
  return { address: address || undefined, port };
}

function spanName(method: string, route: string | undefined): string {
  const name = KNOWN_METHODS.has(method) ? method : "HTTP";
  return route === undefined ? name : `${name} ${route}`;
}

/**
 * Starts making spans for every request frank's server answers (not for the probes and
 * /metrics, which frank answers itself). Returns a function that stops it.
 */
export function instrumentFrank(options: FrankInstrumentationOptions = {}): () => void {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer("frank");
  const ignore = options.ignore;
  const spans = new WeakMap<Request, Span>();
  const requests = diagnosticsChannel.tracingChannel<object, RequestMessage>(REQUEST_CHANNEL);
  const routes = diagnosticsChannel.channel(ROUTE_CHANNEL);

  // The server calls the handler through `runInContext`: OpenTelemetry's context.with makes the
  // span the active context for everything the handler does, sync or async.
  const onStart = (message: RequestMessage) => {
    const active = startSpan(message);
    message.runInContext = (fn) => context.with(active, fn);
  };

  const startSpan = (message: RequestMessage): Context => {
    const request = message.request;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers, headerGetter);
    if (ignore?.(request)) return parent;
    const method = request.method;
    const known = KNOWN_METHODS.has(method);
    const { path, search } = splitRequestUrl(request.url);
    const server = hostAndPort(request.headers.get("host"));
    const attributes: Attributes = {
      "http.request.method": known ? method : "_OTHER",
      "url.scheme": "http",
      "url.path": path,
      "network.protocol.name": "http",
      "network.protocol.version": message.httpVersion,
    };
    if (!known) attributes["http.request.method_original"] = method;
    if (search !== "") attributes["url.query"] = search;
    if (server.address) attributes["server.address"] = server.address;
    if (server.port !== undefined) attributes["server.port"] = server.port;
    if (message.peerAddress !== undefined) {
      attributes["client.address"] = message.peerAddress;
      attributes["network.peer.address"] = message.peerAddress;
    }
    if (message.peerPort !== undefined) attributes["network.peer.port"] = message.peerPort;
    const agent = request.headers.get("user-agent");
    if (agent !== null) attributes["user_agent.original"] = agent;

    const span = tracer.startSpan(spanName(method, undefined), { kind: SpanKind.SERVER, attributes }, parent);
    spans.set(request, span);
    const { traceId, spanId } = span.spanContext();
    recordTraceIds(request, { traceId, spanId });
    return trace.setSpan(parent, span);
  };

  const onRoute = (message: unknown) => {
    const { request, method, route } = message as RouteMessage;
    const span = spans.get(request);
    if (span === undefined) return;
    span.updateName(spanName(method, route));
    span.setAttribute("http.route", route);
  };

  const endSpan = (message: RequestMessage) => {
    const span = spans.get(message.request);
    if (span === undefined) return;
    spans.delete(message.request);
    const { route, status, error } = message;
    if (route !== undefined) {
      span.updateName(spanName(message.request.method, route));
      span.setAttribute("http.route", route);
    }
    if (status !== undefined) span.setAttribute("http.response.status_code", status);
    // Server spans are errors for 5xx only: a 4xx is the client's mistake, answered correctly.
    if (status !== undefined && status >= 500) {
      if (error instanceof Error) span.recordException(error);
      span.setAttribute("error.type", error instanceof Error ? error.constructor.name : String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    if (message.aborted) span.setAttribute("frank.response.aborted", true);
    span.end();
  };

  const subscribers = { start: onStart, asyncEnd: endSpan };
  requests.subscribe(subscribers as never);
  routes.subscribe(onRoute);
  return () => {
    requests.unsubscribe(subscribers as never);
    routes.unsubscribe(onRoute);
  };
}
