import diagnosticsChannel from "node:diagnostics_channel";
import { performance } from "node:perf_hooks"; // not the global getter (see exchange-end.ts)
import type { IncomingMessage } from "node:http";
import { REQUEST_CHANNEL, type RequestMessage } from "../http/request-channels.js";
import { routeOf } from "../http/route-record.js";
import type { Handler } from "../http/types.js";
import { exchangeStartedAt, observeExchange } from "./exchange-end.js";
import type { HttpMetrics } from "./http-metrics.js";
import { incomingOf } from "./node-request.js";

const requestChannel = diagnosticsChannel.tracingChannel<object, RequestMessage>(REQUEST_CHANNEL);

function swallow(): void {}

/**
 * Wraps the app so each request it answers is measured (when `metrics` is given) and published
 * on the `frank.request` tracing channel (while anyone subscribes), ending when the Node adapter
 * reports the response written or abandoned. Without metrics and subscribers it is the handler
 * itself plus one check per request.
 */
export function observeRequests(handler: Handler, metrics: HttpMetrics | undefined): Handler {
  const ended = (request: Request, status: number, _aborted: boolean) => {
    metrics!.ended(
      request.method,
      routeOf(request) ?? "",
      status,
      (performance.now() - exchangeStartedAt(request)) / 1000,
    );
  };

  return (request) => {
    if (requestChannel.hasSubscribers) return traced(handler, request, metrics === undefined ? undefined : ended);
    if (metrics === undefined) return handler(request);
    metrics.started();
    observeExchange(request, ended);
    return handler(request);
  };

  function traced(
    handler: Handler,
    request: Request,
    measured: ((request: Request, status: number, aborted: boolean) => void) | undefined,
  ): Response | Promise<Response> {
    const incoming: IncomingMessage | undefined = incomingOf(request);
    const message: RequestMessage = {
      request,
      peerAddress: incoming?.socket.remoteAddress,
      peerPort: incoming?.socket.remotePort,
      httpVersion: incoming?.httpVersion ?? "1.1",
      route: undefined,
      status: undefined,
      aborted: false,
    };
    metrics?.started();
    const whole = new Promise<void>((resolve, reject) => {
      observeExchange(request, (req, status, aborted, error) => {
        measured?.(req, status, aborted);
        message.route = routeOf(req);
        message.status = status;
        message.aborted = aborted;
        if (error === undefined) resolve();
        else reject(error);
      });
    });
    let result: Response | Promise<Response> | undefined;
    let thrown: { error: unknown } | undefined;
    // The handler runs inside a tracer's context when its `start` subscriber gave one
    // (`runInContext`); a synchronous throw is kept and rethrown below, so the channel sees it
    // through the adapter's report.
    const callHandler = () => {
      try {
        result = handler(request);
      } catch (error) {
        thrown = { error };
      }
    };
    requestChannel
      .tracePromise(() => {
        if (message.runInContext === undefined) callHandler();
        else message.runInContext(callHandler);
        return whole;
      }, message)
      .catch(swallow);
    if (thrown !== undefined) throw thrown.error;
    return result!;
  }
}
