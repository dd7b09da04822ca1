import { describe, expect, it } from "vitest";
import { timeTicks, valueScale } from "./chart-scale";

describe("valueScale", () => {
  it("ends at a round number at or above the maximum, with grid lines at a round step", () => {
    expect(valueScale(7.3)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(valueScale(100)).toEqual({ max: 100, ticks: [0, 25, 50, 75, 100] });
    expect(valueScale(0.042)).toEqual({ max: 0.06, ticks: [0, 0.02, 0.04, 0.06] });
    expect(valueScale(1234)).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] });
  });

  it("draws an axis to 1 without data", () => {
    expect(valueScale(0)).toEqual({ max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] });
    expect(valueScale(Number.NaN).max).toBe(1);
  });
});

describe("timeTicks", () => {
  it("puts ticks on the clock's quarter hours inside the window", () => {
    const start = Date.UTC(2026, 4, 1, 12, 7);
    expect(timeTicks(start, start + 3_600_000, 900_000).map((tick) => new Date(tick).toISOString().slice(11, 16))).toEqual(["12:15", "12:30", "12:45", "13:00"]);
  });
});
