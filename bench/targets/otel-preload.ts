/**
 * Preloaded with `-r` by the frank+otel benchmark target: the OpenTelemetry SDK as an app would
 * run it (every span sampled, a batch span processor), with an exporter that drops the batches,
 * so what is measured is frank/otel and the SDK, not a collector.
 */
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { instrumentFrank } from "../../src/otel/index.js";

const dropping: SpanExporter = {
  export: (_spans: ReadableSpan[], done) => done({ code: 0 }),
  shutdown: async () => {},
};
new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropping)] }).register();
instrumentFrank();
