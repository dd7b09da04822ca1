import { describe, expect, it } from "vitest";
import { histogramQuantile } from "./histogram-quantile.js";

const bounds = [0.001, 0.005, 0.01];

describe("histogramQuantile", () => {
  it("is null without observations", () => {
    expect(histogramQuantile(0.5, bounds, [0, 0, 0, 0])).toBeNull();
  });

  it("interpolates inside the bucket that holds the rank, from 0 in the first bucket", () => {
    // 10 observations ≤ 1 ms, 10 between 1 and 5 ms.
    const counts = [10, 10, 0, 0];
    expect(histogramQuantile(0.25, bounds, counts)).toBeCloseTo(0.0005, 10);
    expect(histogramQuantile(0.5, bounds, counts)).toBeCloseTo(0.001, 10);
    expect(histogramQuantile(0.75, bounds, counts)).toBeCloseTo(0.003, 10);
    expect(histogramQuantile(1, bounds, counts)).toBeCloseTo(0.005, 10);
  });

  it("skips empty buckets and answers the highest finite bound for ranks in +Inf", () => {
    expect(histogramQuantile(0.5, bounds, [0, 0, 4, 0])).toBeCloseTo(0.0075, 10);
    expect(histogramQuantile(0.99, bounds, [1, 0, 0, 99])).toBe(0.01);
  });
});
