import { boundLabels, bucketIndex, type ExpositionWriter, labelPairs } from "./exposition.js";

/**
 * Upper bounds of the request-duration histogram, in seconds: the buckets OpenTelemetry's HTTP
 * semantic conventions advise for `http.server.request.duration`, fixed so every frank app's
 * histograms aggregate together.
 */
export const DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];
const DURATION_BOUNDS = boundLabels(DURATION_BUCKETS);

/**
 * Distinct route labels kept before the rest are counted as OTHER_ROUTES. Patterns come from
 * the app's route table, so this only bites a handler that records raw paths as routes.
 */
export const MAX_ROUTES = 1000;
export const OTHER_ROUTES = "(other)";

/** One label set: its counts, and its labels written once, when it first appears. */
interface Series {
  labels: string;
  count: number;
  sum: number;
  buckets: Float64Array;
}

/**
 * Request counts and durations by method, route pattern and status code, and the requests in
 * flight. Per request: three map lookups with strings the request already has (the method,
 * the App's own pattern string) and a number; nothing allocated once a label set has been seen.
 */
export class HttpMetrics {
  /** route -> method -> status -> series */
  readonly #series = new Map<string, Map<string, Map<number, Series>>>();
  #inFlight = 0;
  // The label set of the request before: requests come in runs of the same route, method and
  // status, and comparing three values costs less than three map lookups.
  #lastRoute: string | undefined;
  #lastMethod: string | undefined;
  #lastStatus = 0;
  #lastSeries: Series | undefined;

  get inFlight(): number {
    return this.#inFlight;
  }

  started(): void {
    this.#inFlight++;
  }

  /** A request is over: `seconds` from its arrival until its response was written or abandoned. */
  ended(method: string, route: string, status: number, seconds: number): void {
    this.#inFlight--;
    const series =
      route === this.#lastRoute && method === this.#lastMethod && status === this.#lastStatus
        ? this.#lastSeries!
        : this.#seriesFor(method, route, status);
    series.count++;
    series.sum += seconds;
    series.buckets[bucketIndex(DURATION_BUCKETS, seconds)]++;
  }

  #seriesFor(method: string, route: string, status: number): Series {
    this.#lastRoute = route;
    this.#lastMethod = method;
    this.#lastStatus = status;
    let byMethod = this.#series.get(route);
    if (byMethod === undefined) {
      if (this.#series.size >= MAX_ROUTES) route = OTHER_ROUTES;
      byMethod = this.#series.get(route);
      if (byMethod === undefined) {
        byMethod = new Map();
        this.#series.set(route, byMethod);
      }
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let series = byStatus.get(status);
    if (series === undefined) {
      series = {
        labels: labelPairs({ method, route, status_code: String(status) }),
        count: 0,
        sum: 0,
        buckets: new Float64Array(DURATION_BUCKETS.length + 1),
      };
      byStatus.set(status, series);
    }
    this.#lastSeries = series;
    return series;
  }

  write(out: ExpositionWriter): void {
    const all: Series[] = [];
    for (const byMethod of this.#series.values())
      for (const byStatus of byMethod.values()) for (const series of byStatus.values()) all.push(series);

    out.family(
      "http_requests_total",
      "counter",
      "HTTP requests answered, by method, route pattern and status code (route is empty when no route answered).",
    );
    for (const series of all) out.sample("http_requests_total", series.labels, series.count);

    out.family(
      "http_request_duration_seconds",
      "histogram",
      "Time from a request's arrival until its response was written, by method, route pattern and status code.",
    );
    for (const series of all)
      out.histogram("http_request_duration_seconds", series.labels, DURATION_BOUNDS, series.buckets, series.sum);

    out.single("http_requests_in_flight", "gauge", "HTTP requests being answered right now.", this.#inFlight);
  }
}
