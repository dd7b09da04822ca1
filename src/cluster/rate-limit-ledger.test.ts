import { describe, expect, it } from "vitest";
import { RateLimitLedger } from "./rate-limit-ledger.js";

describe("RateLimitLedger", () => {
  const window = { windowMillis: 60_000, max: 100 };

  it("never grants more than the limit in a window, however the workers ask", () => {
    let now = 0;
    const ledger = new RateLimitLedger(4, () => now);
    try {
      let granted = 0;
      for (let round = 0; round < 200; round++) granted += ledger.lease({ key: "token", want: 5, ...window }).granted;
      expect(granted).toBe(100);
      expect(ledger.lease({ key: "token", want: 5, ...window })).toMatchObject({ granted: 0, used: 100 });
      // Another token has its own window; the same one starts again when its window has ended.
      expect(ledger.lease({ key: "other", want: 5, ...window }).granted).toBe(5);
      now = 60_000;
      expect(ledger.lease({ key: "token", want: 5, ...window })).toMatchObject({ granted: 5, used: 5, ttlMillis: 60_000 });
    } finally {
      ledger.close();
    }
  });

  it("shrinks leases as the budget runs out, so few requests sit unused in other workers' leases", () => {
    const ledger = new RateLimitLedger(2, () => 0);
    try {
      const sizes: number[] = [];
      for (;;) {
        const { granted } = ledger.lease({ key: "token", want: 10, ...window });
        if (granted === 0) break;
        sizes.push(granted);
      }
      expect(sizes.slice(0, 3)).toEqual([10, 10, 10]);
      expect(sizes.slice(-5)).toEqual([1, 1, 1, 1, 1]);
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(100);
    } finally {
      ledger.close();
    }
  });

  it("reports the time left in the window", () => {
    let now = 1_000;
    const ledger = new RateLimitLedger(1, () => now);
    try {
      ledger.lease({ key: "token", want: 1, ...window });
      now = 31_000;
      expect(ledger.lease({ key: "token", want: 1, ...window }).ttlMillis).toBe(30_000);
    } finally {
      ledger.close();
    }
  });
});
