import { AggregatorRegistry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempStore, type TempStore } from "../store/testing/temp-store.js";
import { HealthHistory, healthMetricNames } from "./health-history.js";
import { ServerMetrics } from "./server-metrics.js";

let temp: TempStore;
let metrics: ServerMetrics;
let clock: number;
let history: HealthHistory;
beforeEach(async () => {
  temp = await openTempStore();
  metrics = new ServerMetrics({ store: temp.store, tenantLabelLimit: 50 });
  clock = Date.UTC(2026, 4, 1, 12);
  history = new HealthHistory({ registry: metrics.exposed, database: temp.store.dialect, intervalMillis: 10_000, windowMillis: 30_000, now: () => new Date(clock) });
});
afterEach(async () => {
  await history.stop();
  metrics.close();
  await temp.dispose();
});

describe("HealthHistory", () => {
  it("turns what the metrics counted between two readings into rates and latency quantiles", async () => {
    await history.sample();
    expect(history.snapshot().samples).toEqual([]);
    const lookups = metrics.http.bind({ route: "/scim/v2/:tenant/Users", method: "GET", status_class: "2xx" });
    for (let i = 0; i < 90; i++) lookups.observe(0.002);
    for (let i = 0; i < 10; i++) lookups.observe(0.2);
    metrics.http.bind({ route: "/api/tenants", method: "GET", status_class: "4xx" }).observe(5);
    metrics.scim.observe({ id: "t", slug: "t" }, "Users", "create", 409, "uniqueness");
    metrics.scim.observe({ id: "t", slug: "t" }, "Users", "create", 503, "unavailable");
    metrics.scim.rateLimited({ id: "t", slug: "t" });
    await temp.store.write((session) => session.settings.setIfAbsent("a", "1"));
    clock += 10_000;
    await history.sample();
    const [sample] = history.snapshot().samples;
    expect(sample).toMatchObject({
      at: "2026-05-01T12:00:10.000Z",
      requestsPerSecond: { "2xx": 10, "3xx": 0, "4xx": 0.1, "5xx": 0 },
      scimErrorsPerSecond: { client: 0.1, server: 0.1 },
      rateLimitRejectionsPerSecond: 0.1,
      activityBuffered: 0,
    });
    // 90 of 100 lookups in the (1 ms, 2.5 ms] bucket: the median interpolates inside it; the /api request (5 s) is not SCIM.
    expect(sample!.scimLatencyMs.p50).toBeGreaterThan(1);
    expect(sample!.scimLatencyMs.p50).toBeLessThanOrEqual(2.5);
    expect(sample!.scimLatencyMs.p99).toBeGreaterThan(100);
    expect(sample!.scimLatencyMs.p99).toBeLessThanOrEqual(250);
    expect(sample!.memory.residentBytes).toBeGreaterThan(0);
    expect(sample!.memory.heapUsedBytes).toBeGreaterThan(0);
    if (temp.store.dialect === "sqlite") {
      expect(sample!.commitGroup?.writesPerCommit).toBe(1);
      expect(sample!.commitGroup?.commitP95Ms).toBeGreaterThan(0);
    } else {
      expect(sample!.commitGroup).toBeNull();
    }
  });

  it("answers null quantiles for an interval without SCIM requests, and keeps only the window", async () => {
    await history.sample();
    for (let i = 0; i < 5; i++) {
      clock += 10_000;
      await history.sample();
    }
    const snapshot = history.snapshot();
    expect(snapshot.intervalSeconds).toBe(10);
    expect(snapshot.windowSeconds).toBe(30);
    expect(snapshot.samples.map((sample) => sample.at)).toEqual(["2026-05-01T12:00:30.000Z", "2026-05-01T12:00:40.000Z", "2026-05-01T12:00:50.000Z"]);
    expect(snapshot.samples[0]!.scimLatencyMs).toEqual({ p50: null, p95: null, p99: null });
    expect(snapshot.samples[0]!.requestsPerSecond["2xx"]).toBe(0);
    expect(snapshot.node).toMatchObject({ pid: process.pid, database: temp.store.dialect, startedAt: "2026-05-01T12:00:00.000Z" });
  });

  it("samples several workers as one: their metrics summed, the slowest worker's event-loop delay", async () => {
    const other = new ServerMetrics({ store: temp.store, tenantLabelLimit: 50 });
    // What the primary of `serve --workers` does: each worker sends the families a sample reads; prom-client sums them.
    const familiesOf = async (worker: ServerMetrics) => Promise.all(healthMetricNames.flatMap((name) => worker.exposed.getSingleMetric(name) ?? []).map((metric) => metric.get()));
    const summed = new HealthHistory({
      registry: async () => AggregatorRegistry.aggregate(await Promise.all([familiesOf(metrics), familiesOf(other)])),
      loopDelay: async () => ({ p99: 7, max: 12 }),
      workers: 2,
      database: temp.store.dialect,
      intervalMillis: 10_000,
      now: () => new Date(clock),
    });
    try {
      await summed.sample();
      for (const worker of [metrics, other]) {
        const lookups = worker.http.bind({ route: "/scim/v2/:tenant/Users", method: "GET", status_class: "2xx" });
        for (let i = 0; i < 50; i++) lookups.observe(0.002);
      }
      clock += 10_000;
      await summed.sample();
      const snapshot = summed.snapshot();
      expect(snapshot.node).toMatchObject({ pid: process.pid, workers: 2 });
      expect(snapshot.samples[0]).toMatchObject({ requestsPerSecond: { "2xx": 10 }, eventLoopDelayMs: { p99: 7, max: 12 } });
      expect(snapshot.samples[0]!.scimLatencyMs.p50).toBeLessThanOrEqual(2.5);
    } finally {
      await summed.stop();
      other.close();
    }
  });
});
