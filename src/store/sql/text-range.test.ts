import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints } from "../../scim/filter/compare-code-points.js";
import { prefixSuccessor } from "./text-range.js";

describe("prefixSuccessor", () => {
  it("increments the last code point", () => {
    expect(prefixSuccessor("abc")).toBe("abd");
    expect(prefixSuccessor("a\u{10FFFF}")).toBe("b");
    expect(prefixSuccessor("\u{D7FF}")).toBe("\u{E000}");
    expect(prefixSuccessor("x😀")).toBe("x😁");
  });

  it("returns undefined when no string follows every extension of the prefix", () => {
    expect(prefixSuccessor("")).toBeUndefined();
    expect(prefixSuccessor("\u{10FFFF}\u{10FFFF}")).toBeUndefined();
  });

  it("bounds exactly the strings that start with the prefix, in code point order", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", "\u{FFFF}", "😀", "\u{10FFFF}", "\u{E000}"), maxLength: 4 });
    fc.assert(
      fc.property(text, text, (prefix, value) => {
        const successor = prefixSuccessor(prefix);
        fc.pre(successor !== undefined);
        const inRange = compareCodePoints(value, prefix) >= 0 && compareCodePoints(value, successor!) < 0;
        expect(inRange).toBe(value.startsWith(prefix));
      }),
    );
  });
});

