import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints } from "./compare-code-points.js";

/** Reference order: compare arrays of code points. */
function referenceOrder(a: string, b: string): number {
  const x = [...a].map((char) => char.codePointAt(0) as number);
  const y = [...b].map((char) => char.codePointAt(0) as number);
  for (let index = 0; index < Math.min(x.length, y.length); index += 1) {
    if (x[index] !== y[index]) return (x[index] as number) < (y[index] as number) ? -1 : 1;
  }
  return Math.sign(x.length - y.length);
}

describe("compareCodePoints", () => {
  it("orders U+FF21 before U+1F600, unlike JavaScript's UTF-16 comparison", () => {
    expect("\u{FF21}" < "\u{1F600}").toBe(false);
    expect(compareCodePoints("\u{FF21}", "\u{1F600}")).toBe(-1);
    expect(compareCodePoints("\u{1F600}", "\u{FF21}")).toBe(1);
  });

  it("returns 0 for equal strings and orders a prefix first", () => {
    expect(compareCodePoints("abc", "abc")).toBe(0);
    expect(compareCodePoints("ab", "abc")).toBe(-1);
    expect(compareCodePoints("abc", "ab")).toBe(1);
    expect(compareCodePoints("", "")).toBe(0);
  });

  it("agrees with comparing arrays of code points for arbitrary well-formed strings", () => {
    const text = fc.string({ unit: "grapheme-composite", maxLength: 8 });
    fc.assert(fc.property(text, text, (a, b) => compareCodePoints(a, b) === referenceOrder(a, b)));
  });

  it("agrees with the UTF-8 byte order SQLite's BINARY collation uses", () => {
    const text = fc.string({ unit: "binary", maxLength: 8 });
    fc.assert(fc.property(text, text, (a, b) => compareCodePoints(a, b) === Math.sign(Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")))));
  });
});
