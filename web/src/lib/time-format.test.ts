import { describe, expect, it } from "vitest";
import { formatAbsoluteTime, formatDate, formatRelativeTime } from "./time-format";

const now = new Date("2026-11-28T20:00:00.000Z");
const ago = (millis: number) => new Date(now.getTime() - millis).toISOString();
const minutes = 60_000;
const hours = 60 * minutes;
const days = 24 * hours;

describe("formatRelativeTime", () => {
  it("says just now within 45 seconds either way", () => {
    expect(formatRelativeTime(ago(10_000), now)).toBe("just now");
    expect(formatRelativeTime(ago(-30_000), now)).toBe("just now");
  });

  it("counts minutes below 45 minutes", () => {
    expect(formatRelativeTime(ago(60_000), now)).toBe("1 minute ago");
    expect(formatRelativeTime(ago(5 * minutes), now)).toBe("5 minutes ago");
  });

  it("rounds 50 minutes up to an hour", () => {
    expect(formatRelativeTime(ago(50 * minutes), now)).toBe("1 hour ago");
  });

  it("counts hours, then days, then months, then years", () => {
    expect(formatRelativeTime(ago(3 * hours), now)).toBe("3 hours ago");
    expect(formatRelativeTime(ago(1 * days), now)).toBe("yesterday");
    expect(formatRelativeTime(ago(4 * days), now)).toBe("4 days ago");
    expect(formatRelativeTime(ago(60 * days), now)).toBe("2 months ago");
    expect(formatRelativeTime(ago(800 * days), now)).toBe("2 years ago");
  });

  it("describes future times as in …", () => {
    expect(formatRelativeTime(ago(-3 * hours), now)).toBe("in 3 hours");
  });

  it("returns text that is not a time unchanged", () => {
    expect(formatRelativeTime("not a time", now)).toBe("not a time");
  });
});

describe("formatAbsoluteTime", () => {
  it("shows date, time to the second and the time zone", () => {
    expect(formatAbsoluteTime("2026-11-28T20:01:02.345Z", { locale: "en-US", timeZone: "UTC" })).toBe("Nov 28, 2026, 8:01:02 PM UTC");
  });

  it("converts to the time zone it is given", () => {
    expect(formatAbsoluteTime("2026-11-28T20:01:02.345Z", { locale: "en-GB", timeZone: "Europe/Paris" })).toBe("28 Nov 2026, 21:01:02 CET");
  });

  it("returns text that is not a time unchanged", () => {
    expect(formatAbsoluteTime("yesterday-ish")).toBe("yesterday-ish");
  });
});

describe("formatDate", () => {
  it("shows the date alone", () => {
    expect(formatDate("2026-11-28T20:01:02.345Z", { locale: "en-US", timeZone: "UTC" })).toBe("Nov 28, 2026");
  });
});
