import { Registry } from "prom-client";
import type { Store } from "../store/store.js";
import { BoundHistogram } from "./bound-series.js";
import { processMetrics } from "./process-metrics.js";
import { ScimMetrics } from "./scim-metrics.js";
import { StoreMetrics } from "./store-metrics.js";
import { ActivityMetrics, LastUsedMetrics } from "./write-metrics.js";

/** Request durations: SCIM lookups take about a millisecond, a large bulk request or member page seconds. */
const requestBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How a server's metrics are set up. */
export interface ServerMetricsOptions {
  readonly store: Store;
  /** How many tenants get their own label (MUSTER_METRICS_TENANT_LABELS); later ones count under "(other)". */
  readonly tenantLabelLimit: number;
}

/**
 * The metrics of one server, in a prom-client Registry of its own (tests build many servers in one
 * process): HTTP requests, SCIM requests and rate-limit rejections, the store's statements, group
 * commits and pool, the activity log and last-used writes. The exposition adds the process's metrics
 * (process-metrics.ts). A new subsystem (outbound apps, webhooks) adds its own class here the same way:
 * its families in `registry`, fed by an observer interface its module defines.
 */
export class ServerMetrics {
  /** This server's families (without the process's). */
  readonly registry = new Registry();
  /** HTTP requests by route template, method and status class; routes bind their series when registered (http/request-metrics.ts). */
  readonly http: BoundHistogram;
  readonly scim: ScimMetrics;
  readonly activity: ActivityMetrics;
  readonly lastUsed: LastUsedMetrics;
  /** What a scrape reads: this server's registry and the process's. */
  readonly exposed: Registry;
  private readonly detachStore: () => void;

  constructor(options: ServerMetricsOptions) {
    this.http = new BoundHistogram(this.registry, {
      name: "muster_http_request_duration_seconds",
      help: "HTTP requests by route template (unmatched for URLs no route serves), method and status class, by time to the end of the response; _count counts requests.",
      labelNames: ["route", "method", "status_class"],
      buckets: requestBuckets,
    });
    this.scim = new ScimMetrics(this.registry, { tenantLabelLimit: options.tenantLabelLimit });
    this.activity = new ActivityMetrics(this.registry);
    this.lastUsed = new LastUsedMetrics(this.registry);
    this.detachStore = options.store.observe(new StoreMetrics(this.registry, options.store));
    this.exposed = Registry.merge([processMetrics(), this.registry]);
  }

  /** The Prometheus text exposition (format 0.0.4) of this server and its process. */
  exposition(): Promise<string> {
    return this.exposed.metrics();
  }

  /** The Content-Type of the exposition. */
  get contentType(): string {
    return this.exposed.contentType;
  }

  /** Stops observing the store (the server is closing; the store may outlive it). */
  close(): void {
    this.detachStore();
  }
}
