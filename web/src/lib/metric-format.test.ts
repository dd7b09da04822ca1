import { describe, expect, it } from "vitest";
import { formatMillis, formatNumber, formatRate } from "./metric-format";

describe("metric formats", () => {
  it("writes numbers to about three significant digits", () => {
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(0.004216)).toBe("0.0042");
    expect(formatNumber(0.1234)).toBe("0.123");
    expect(formatNumber(1.5)).toBe("1.5");
    expect(formatNumber(12.34)).toBe("12.3");
    expect(formatNumber(456.7)).toBe("457");
    expect(formatNumber(12345)).toBe("12,345");
  });

  it("writes rates and durations with their units", () => {
    expect(formatRate(0.5)).toBe("0.5/s");
    expect(formatMillis(0.42)).toBe("0.42 ms");
    expect(formatMillis(12)).toBe("12 ms");
    expect(formatMillis(1500)).toBe("1.5 s");
  });
});
