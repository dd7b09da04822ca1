import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { parseExposition } from "../../test/support/scrape.js";
import { BoundCounter, BoundHistogram } from "./bound-series.js";

describe("BoundCounter", () => {
  it("keeps one series per label set and exposes it through prom-client's registry", async () => {
    const registry = new Registry();
    const counter = new BoundCounter(registry, { name: "test_things_total", help: "Things.", labelNames: ["kind"] });
    const a = counter.bind({ kind: "a" });
    expect(counter.bind({ kind: "a" })).toBe(a);
    a.inc();
    a.inc(2);
    counter.bind({ kind: "b" }).inc();
    const { families } = await parseExposition(await registry.metrics());
    expect(families.test_things_total).toEqual({
      type: "counter",
      help: "Things.",
      data: [
        { labels: { kind: "a" }, value: 3 },
        { labels: { kind: "b" }, value: 1 },
      ],
    });
  });

  it("refuses a label set that is not exactly its label names", () => {
    const counter = new BoundCounter(new Registry(), { name: "test_total", help: "T.", labelNames: ["kind"] });
    expect(() => counter.bind({})).toThrow(/takes the labels kind/);
    expect(() => counter.bind({ kind: "a", extra: "b" })).toThrow(/takes the labels kind/);
  });

  it("forgets its series on reset, as prom-client's resetMetrics() expects", async () => {
    const registry = new Registry();
    const counter = new BoundCounter(registry, { name: "test_reset_total", help: "T.", labelNames: [] });
    counter.bind({}).inc();
    registry.resetMetrics();
    expect((await registry.getMetricsAsJSON())[0]!.values).toEqual([]);
  });
});

describe("BoundHistogram", () => {
  it("counts each observation in the first bucket whose bound is not below it, cumulative in the exposition", async () => {
    const registry = new Registry();
    const histogram = new BoundHistogram(registry, { name: "test_seconds", help: "Durations.", labelNames: ["route"], buckets: [0.01, 0.1, 1] });
    const series = histogram.bind({ route: "/a" });
    for (const value of [0.005, 0.01, 0.05, 0.5, 2, 3]) series.observe(value);
    const { families, text } = await parseExposition(await registry.metrics());
    expect(families.test_seconds).toMatchObject({
      type: "histogram",
      help: "Durations.",
      data: [{ labels: { route: "/a" }, buckets: { "0.01": 2, "0.1": 3, "1": 4, "+Inf": 6 }, count: 6 }],
    });
    expect((families.test_seconds!.data[0] as { sum: number }).sum).toBeCloseTo(5.565, 10);
    expect(text).toContain('test_seconds_bucket{route="/a",le="0.01"} 2');
  });

  it("refuses buckets that do not increase", () => {
    expect(() => new BoundHistogram(new Registry(), { name: "test_bad_seconds", help: "T.", labelNames: [], buckets: [1, 1] })).toThrow(/increase/);
  });
});
