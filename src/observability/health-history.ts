import { hostname } from "node:os";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { Registry } from "prom-client";
import type { NodeHealth, NodeHealthSample } from "../../shared/admin-api.js";
import { histogramQuantile } from "./histogram-quantile.js";

/** The event loop's delay over a period, in milliseconds. */
export interface LoopDelay {
  readonly p99: number;
  readonly max: number;
}

/** How the history samples. */
export interface HealthHistoryOptions {
  /**
   * The registry to read: the server's exposition (its metrics and the process's), or a function that
   * fetches one each time (the metrics of all workers of `muster serve --workers`, summed).
   */
  readonly registry: Registry | (() => Promise<Registry>);
  /** The event-loop delay since the previous call; default this process's own (EventLoopDelay). */
  readonly loopDelay?: () => Promise<LoopDelay>;
  /** Worker processes whose metrics `registry` sums (default 1: this process). */
  readonly workers?: number;
  readonly database: "sqlite" | "postgres";
  /** Time between samples (default 10 s). */
  readonly intervalMillis?: number;
  /** How long samples are kept (default one hour). */
  readonly windowMillis?: number;
  readonly now?: () => Date;
}

/** Cumulative totals read from the registry at one moment. */
interface Totals {
  readonly at: number;
  readonly byClass: readonly [number, number, number, number];
  readonly scimBuckets: Buckets;
  readonly scimErrors: { readonly client: number; readonly server: number };
  readonly rateLimited: number;
  readonly groupSize: { readonly sum: number; readonly count: number } | undefined;
  readonly commitBuckets: Buckets | undefined;
}

/** A histogram's buckets summed over some of its series: upper bounds and cumulative counts, the last for +Inf. */
interface Buckets {
  readonly bounds: readonly number[];
  readonly cumulative: readonly number[];
}

interface Value {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number | undefined>>;
  readonly metricName?: string;
}

const classes = ["2xx", "3xx", "4xx", "5xx"] as const;
// The event-loop monitor's timer fires every `resolution` ms; it reports that period plus the delay.
const resolutionMillis = 10;

/** The metric families a health sample reads (a worker sends only these to the primary's history). */
export const healthMetricNames = [
  "muster_http_request_duration_seconds",
  "muster_scim_requests_total",
  "muster_rate_limit_rejections_total",
  "muster_db_commit_group_size",
  "muster_db_commit_duration_seconds",
  "muster_activity_buffered_entries",
  "process_resident_memory_bytes",
  // prom-client sets the heap gauges when the heap total is collected: it comes before the used heap.
  "nodejs_heap_size_total_bytes",
  "nodejs_heap_size_used_bytes",
] as const;

/**
 * This process's event-loop delay, from a monitor of its own: reading prom-client's event-loop
 * percentiles would reset them for Prometheus.
 */
export class EventLoopDelay {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: resolutionMillis });

  enable(): void {
    this.loop.enable();
  }

  disable(): void {
    this.loop.disable();
  }

  /** The p99 and maximum delay since the previous call (0 without observations); starts a new period. */
  take(): LoopDelay {
    const delay = (nanos: number) => (Number.isFinite(nanos) ? Math.max(0, nanos / 1e6 - resolutionMillis) : 0);
    const taken = { p99: this.loop.count > 0 ? delay(this.loop.percentile(99)) : 0, max: this.loop.count > 0 ? delay(this.loop.max) : 0 };
    this.loop.reset();
    return taken;
  }
}

/**
 * This node's recent health for the console: every `intervalMillis` it reads the server's own
 * prom-client registry (the same numbers a scrape sees), turns the growth of counters and histograms
 * since the previous reading into rates and latency quantiles, and keeps the samples of the last
 * `windowMillis` in memory. The event-loop delay comes from a monitor of its own, because reading
 * prom-client's event-loop percentiles resets them for Prometheus.
 */
export class HealthHistory {
  private readonly registrySource: () => Promise<Registry>;
  private registry!: Registry;
  private readonly loopDelay: () => Promise<LoopDelay>;
  private readonly workers: number;
  private readonly database: "sqlite" | "postgres";
  private readonly intervalMillis: number;
  private readonly capacity: number;
  private readonly now: () => Date;
  private readonly startedAt: Date;
  private readonly samples: NodeHealthSample[] = [];
  private readonly loop: EventLoopDelay | undefined;
  private previous: Totals | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> = Promise.resolve();

  constructor(options: HealthHistoryOptions) {
    const registry = options.registry;
    this.registrySource = typeof registry === "function" ? registry : () => Promise.resolve(registry);
    this.loop = options.loopDelay ? undefined : new EventLoopDelay();
    const loop = this.loop;
    this.loopDelay = options.loopDelay ?? (() => Promise.resolve(loop!.take()));
    this.workers = options.workers ?? 1;
    this.database = options.database;
    this.intervalMillis = options.intervalMillis ?? 10_000;
    this.capacity = Math.max(1, Math.round((options.windowMillis ?? 3_600_000) / this.intervalMillis));
    this.now = options.now ?? (() => new Date());
    this.startedAt = this.now();
  }

  /** Takes the first reading now and a sample every interval; the timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.loop?.enable();
    this.sampling = this.sample();
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample());
    }, this.intervalMillis);
    this.timer.unref();
  }

  /** Stops sampling; the samples taken stay readable. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.loop?.disable();
    await this.sampling;
  }

  /** Reads the registry and, from the second reading on, appends a sample covering the time since the previous one. */
  async sample(): Promise<void> {
    this.registry = await this.registrySource();
    const totals = await this.read();
    const previous = this.previous;
    this.previous = totals;
    if (!previous) return;
    this.samples.push(await this.between(previous, totals));
    if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
  }

  /** The samples and which node took them (GET /api/node/health). */
  snapshot(): NodeHealth {
    return {
      node: { hostname: hostname(), pid: process.pid, startedAt: this.startedAt.toISOString(), database: this.database, workers: this.workers },
      intervalSeconds: this.intervalMillis / 1000,
      windowSeconds: (this.capacity * this.intervalMillis) / 1000,
      samples: [...this.samples],
    };
  }

  private async between(before: Totals, after: Totals): Promise<NodeHealthSample> {
    const seconds = Math.max(0.001, (after.at - before.at) / 1000);
    const rate = (from: number, to: number) => Math.max(0, to - from) / seconds;
    const scim = perBucket(before.scimBuckets, after.scimBuckets);
    const millis = (seconds: number | null) => (seconds === null ? null : seconds * 1000);
    const loop = await this.loopDelay();
    let commitGroup: NodeHealthSample["commitGroup"] = null;
    if (before.groupSize && after.groupSize && before.commitBuckets && after.commitBuckets) {
      const commits = after.groupSize.count - before.groupSize.count;
      const commitTimes = perBucket(before.commitBuckets, after.commitBuckets);
      commitGroup = {
        writesPerCommit: commits > 0 ? (after.groupSize.sum - before.groupSize.sum) / commits : null,
        commitP95Ms: millis(histogramQuantile(0.95, commitTimes.bounds, commitTimes.counts)),
      };
    }
    return {
      at: new Date(after.at).toISOString(),
      requestsPerSecond: { "2xx": rate(before.byClass[0], after.byClass[0]), "3xx": rate(before.byClass[1], after.byClass[1]), "4xx": rate(before.byClass[2], after.byClass[2]), "5xx": rate(before.byClass[3], after.byClass[3]) },
      scimLatencyMs: {
        p50: millis(histogramQuantile(0.5, scim.bounds, scim.counts)),
        p95: millis(histogramQuantile(0.95, scim.bounds, scim.counts)),
        p99: millis(histogramQuantile(0.99, scim.bounds, scim.counts)),
      },
      scimErrorsPerSecond: { client: rate(before.scimErrors.client, after.scimErrors.client), server: rate(before.scimErrors.server, after.scimErrors.server) },
      rateLimitRejectionsPerSecond: rate(before.rateLimited, after.rateLimited),
      commitGroup,
      activityBuffered: await this.gauge("muster_activity_buffered_entries"),
      eventLoopDelayMs: loop,
      memory: { residentBytes: await this.gauge("process_resident_memory_bytes"), heapUsedBytes: await this.heapUsed() },
    };
  }

  private async read(): Promise<Totals> {
    const http = await this.values("muster_http_request_duration_seconds");
    const byClass: [number, number, number, number] = [0, 0, 0, 0];
    for (const sample of http) {
      if (!sample.metricName?.endsWith("_count")) continue;
      const index = classes.indexOf(sample.labels.status_class as (typeof classes)[number]);
      if (index >= 0) byClass[index] = byClass[index]! + sample.value;
    }
    const scimErrors = { client: 0, server: 0 };
    for (const sample of await this.values("muster_scim_requests_total")) {
      if (sample.labels.outcome === "client_error") scimErrors.client += sample.value;
      if (sample.labels.outcome === "server_error") scimErrors.server += sample.value;
    }
    const groupSizes = await this.values("muster_db_commit_group_size");
    return {
      at: this.now().getTime(),
      byClass,
      scimBuckets: bucketsOf(http, (labels) => String(labels.route).startsWith("/scim/")),
      scimErrors,
      rateLimited: (await this.values("muster_rate_limit_rejections_total")).reduce((sum, sample) => sum + sample.value, 0),
      groupSize: this.registry.getSingleMetric("muster_db_commit_group_size")
        ? { sum: groupSizes.find((sample) => sample.metricName?.endsWith("_sum"))?.value ?? 0, count: groupSizes.find((sample) => sample.metricName?.endsWith("_count"))?.value ?? 0 }
        : undefined,
      commitBuckets: this.registry.getSingleMetric("muster_db_commit_duration_seconds") ? bucketsOf(await this.values("muster_db_commit_duration_seconds"), () => true) : undefined,
    };
  }

  private async values(name: string): Promise<readonly Value[]> {
    const metric = this.registry.getSingleMetric(name);
    if (!metric) return [];
    return ((await metric.get()).values ?? []) as readonly Value[];
  }

  /** prom-client sets the heap gauges when the heap total is collected: read that one first. */
  private async heapUsed(): Promise<number> {
    await this.values("nodejs_heap_size_total_bytes");
    return this.gauge("nodejs_heap_size_used_bytes");
  }

  private async gauge(name: string): Promise<number> {
    return (await this.values(name))[0]?.value ?? 0;
  }
}

/** The buckets of the histogram samples whose series `include` accepts, summed over those series. */
function bucketsOf(samples: readonly Value[], include: (labels: Value["labels"]) => boolean): Buckets {
  const byBound = new Map<string, number>();
  for (const sample of samples) {
    if (!sample.metricName?.endsWith("_bucket") || !include(sample.labels)) continue;
    const bound = String(sample.labels.le);
    byBound.set(bound, (byBound.get(bound) ?? 0) + sample.value);
  }
  const bounds = [...byBound.keys()].filter((bound) => bound !== "+Inf").map(Number).sort((a, b) => a - b);
  return { bounds, cumulative: [...bounds.map((bound) => byBound.get(String(bound)) ?? 0), byBound.get("+Inf") ?? 0] };
}

/** Observations per bucket between two readings of the same buckets (a series bound in between starts from zero). */
function perBucket(before: Buckets, after: Buckets): { bounds: readonly number[]; counts: number[] } {
  const earlier = new Map(before.bounds.map((bound, index) => [bound, before.cumulative[index]!]));
  const grown = after.cumulative.map((value, index) => {
    const bound = after.bounds[index];
    const was = bound === undefined ? (before.cumulative[before.bounds.length] ?? 0) : (earlier.get(bound) ?? 0);
    return Math.max(0, value - was);
  });
  return { bounds: after.bounds, counts: grown.map((value, index) => (index === 0 ? value : Math.max(0, value - grown[index - 1]!))) };
}
