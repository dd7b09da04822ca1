import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler, RouteOptions } from "fastify";
import type { BoundHistogram, HistogramSeries } from "../observability/bound-series.js";

const statusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"] as const;
/** Methods an unmatched request is labelled with; any other (a client can send anything) is "other". */
const knownMethods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** 0–4 for 1xx–5xx. */
function classIndex(status: number): number {
  const index = Math.floor(status / 100) - 1;
  return index < 0 ? 0 : index > 4 ? 4 : index;
}

/** The request series of one route: one per method it serves and status class, bound on first use. */
class RouteSeries {
  private readonly histogram: BoundHistogram;
  private readonly route: string;
  private readonly methods: readonly string[];
  private readonly series: (HistogramSeries | undefined)[];

  constructor(histogram: BoundHistogram, route: string, methods: readonly string[]) {
    this.histogram = histogram;
    this.route = route;
    this.methods = methods;
    this.series = new Array<HistogramSeries | undefined>(methods.length * statusClasses.length);
  }

  observe(method: string, status: number, millis: number): void {
    const methodIndex = this.methods.length === 1 ? 0 : this.methods.indexOf(method);
    if (methodIndex < 0) return;
    const index = methodIndex * statusClasses.length + classIndex(status);
    const series = this.series[index] ?? this.bind(index);
    series.observe(millis / 1000);
  }

  private bind(index: number): HistogramSeries {
    const method = this.methods[Math.floor(index / statusClasses.length)]!;
    const series = this.histogram.bind({ route: this.route, method, status_class: statusClasses[index % statusClasses.length]! });
    this.series[index] = series;
    return series;
  }
}

/**
 * Times every request into `histogram` by route template (`/scim/v2/:tenant/Users/:id`), method and
 * status class, never by raw URL. Each route gets its series when it is registered and an onResponse
 * hook of its own that observes into them, so a request costs an array lookup and a bucket search;
 * requests no route matches count under the route "unmatched". Call before any route is registered.
 */
export function registerRequestMetrics(app: FastifyInstance, histogram: BoundHistogram): void {
  app.addHook("onRoute", (route: RouteOptions) => {
    const series = new RouteSeries(histogram, route.url, [route.method].flat());
    const observe: onResponseHookHandler = (request, reply, done) => {
      series.observe(request.method, reply.statusCode, reply.elapsedTime);
      done();
    };
    route.onResponse = [...[route.onResponse ?? []].flat(), observe];
  });
  const unmatched = new RouteSeries(histogram, "unmatched", [...knownMethods, "other"]);
  app.addHook("onResponse", (request: FastifyRequest, reply: FastifyReply, done) => {
    if (request.is404) unmatched.observe(knownMethods.has(request.method) ? request.method : "other", reply.statusCode, reply.elapsedTime);
    done();
  });
}
