import { describe, expect, it } from "vitest";
import { parseHttpDate, parseRetryAfter } from "./parse-retry-after.js";

const now = Date.UTC(2025, 5, 1, 12, 0, 0);

describe("parseRetryAfter", () => {
  it("reads delta-seconds as milliseconds", () => {
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("1", now)).toBe(1000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
  });

  it("reads an IMF-fixdate as the time until that date", () => {
    expect(parseRetryAfter("Sun, 01 Jun 2025 12:00:30 GMT", now)).toBe(30_000);
  });

  it("reads the obsolete RFC 850 and asctime forms", () => {
    expect(parseRetryAfter("Sunday, 01-Jun-25 12:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Sun Jun  1 12:00:05 2025", now)).toBe(5_000);
  });

  it("answers 0 for a date in the past", () => {
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now)).toBe(0);
  });

  it("ignores garbage, negative and fractional numbers, and impossible dates", () => {
    for (const garbage of ["", "soon", "-5", "1.5", "1e3", "0x10", "Sun, 31 Feb 2025 12:00:00 GMT", "Sun, 01 Jun 2025 25:00:00 GMT", "2025-06-01T12:00:30Z", "Sun, 01 Jun 2025 12:00:30 UTC"]) {
      expect(parseRetryAfter(garbage, now), garbage).toBeUndefined();
    }
  });

  it("answers undefined when there is no header and takes the first of repeated ones", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(["2", "3"], now)).toBe(2000);
  });

  it("clamps absurdly large delta-seconds", () => {
    expect(parseRetryAfter("99999999999999999999", now)).toBe(2_147_483_647_000);
  });
});

describe("parseHttpDate", () => {
  it("agrees with Date's own reading of the preferred form", () => {
    const text = new Date(now).toUTCString();
    expect(parseHttpDate(text)).toBe(now);
  });
});
