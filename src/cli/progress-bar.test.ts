import { describe, expect, it } from "vitest";
import { ProgressBar, formatCount, formatDuration } from "./progress-bar.js";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 100, write: (text: string) => writes.push(text) };
}

describe("ProgressBar on a terminal", () => {
  it("redraws one line in place with percentage, counts and time left", () => {
    let now = 0;
    const out = stream(true);
    const bar = new ProgressBar(out, { now: () => now });
    now = 2_000;
    bar.update(250, 1_000, "users");
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]).toMatch(/^\r\x1b\[2K\[█+░+\]  25%  250\/1,000 rows, 6s left  users$/);
  });

  it("guesses no time left during the first second", () => {
    let now = 0;
    const out = stream(true);
    const bar = new ProgressBar(out, { now: () => now });
    now = 999;
    bar.update(1, 1_000_000, "tenants");
    expect(out.writes[0]).toContain("0%  1/1,000,000 rows  tenants");
  });

  it("skips redraws closer together than the redraw interval but always draws the end", () => {
    let now = 0;
    const out = stream(true);
    const bar = new ProgressBar(out, { now: () => now, redrawMs: 100 });
    bar.update(1, 10, "t");
    now = 50;
    bar.update(2, 10, "t");
    expect(out.writes).toHaveLength(1);
    bar.update(10, 10, "t");
    expect(out.writes).toHaveLength(2);
    expect(out.writes[1]).toContain("100%  10/10 rows  t");
    expect(out.writes[1]).not.toContain("left");
  });

  it("prints lines above the bar and clears the bar when done", () => {
    const out = stream(true);
    const bar = new ProgressBar(out, { now: () => 0 });
    bar.update(1, 2, "a");
    bar.line("tenants: 2 rows");
    expect(out.writes[1]).toMatch(/^\r\x1b\[2Ktenants: 2 rows\n\[.*\]  50%/);
    bar.done();
    expect(out.writes[2]).toBe("\r\x1b[2K");
  });
});

describe("ProgressBar elsewhere", () => {
  it("writes plain lines only, at most one progress line per interval", () => {
    let now = 0;
    const out = stream(false);
    const bar = new ProgressBar(out, { now: () => now, plainEveryMs: 10_000 });
    bar.update(1, 4, "users", "pages");
    now = 9_999;
    bar.update(2, 4, "users", "pages");
    expect(out.writes).toEqual([]);
    now = 10_000;
    bar.update(2, 4, "users", "pages");
    bar.line("users: 4 rows");
    bar.done();
    expect(out.writes).toEqual(["users: 2/4 pages (50%, 10s left)\n", "users: 4 rows\n"]);
  });
});

describe("formatting", () => {
  it("groups thousands and writes durations in the largest sensible units", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatDuration(42.4)).toBe("42s");
    expect(formatDuration(185)).toBe("3m 05s");
    expect(formatDuration(3720)).toBe("1h 02m");
  });
});
