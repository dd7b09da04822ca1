import { describe, expect, it } from "vitest";
import { currentCursor, firstPage, hasPrevious, nextPage, pageIndex, previousPage, rangeLabel } from "./cursor-stack";

describe("cursor stack", () => {
  it("starts on the first page without a cursor and nothing before it", () => {
    expect(currentCursor(firstPage)).toBeUndefined();
    expect(pageIndex(firstPage)).toBe(0);
    expect(hasPrevious(firstPage)).toBe(false);
  });

  it("fetches the next page with the cursor the current page returned", () => {
    const second = nextPage(firstPage, "c2");
    const third = nextPage(second, "c3");
    expect(currentCursor(third)).toBe("c3");
    expect(pageIndex(third)).toBe(2);
    expect(hasPrevious(third)).toBe(true);
  });

  it("returns to the previous page's cursor, back to the first page", () => {
    const third = nextPage(nextPage(firstPage, "c2"), "c3");
    const second = previousPage(third);
    expect(currentCursor(second)).toBe("c2");
    const first = previousPage(second);
    expect(currentCursor(first)).toBeUndefined();
    expect(pageIndex(first)).toBe(0);
  });

  it("stays on the first page when asked for the page before it", () => {
    expect(previousPage(firstPage)).toBe(firstPage);
  });

  it("leaves the stack it was given unchanged", () => {
    const second = nextPage(firstPage, "c2");
    nextPage(second, "c3");
    previousPage(second);
    expect(second.cursors).toEqual([undefined, "c2"]);
  });
});

describe("rangeLabel", () => {
  it("labels the first page as 1–50 of the total with thousands separators", () => {
    expect(rangeLabel(0, 50, 50, 1_000_000, "en-US")).toBe("1–50 of 1,000,000");
  });

  it("labels a later, partly filled page from its position", () => {
    expect(rangeLabel(2, 50, 7, 107, "en-US")).toBe("101–107 of 107");
  });

  it("labels an empty list as 0 of 0", () => {
    expect(rangeLabel(0, 50, 0, 0, "en-US")).toBe("0 of 0");
  });

  it("never shows a total below the last item shown when the list shrank while paging", () => {
    expect(rangeLabel(1, 50, 50, 80, "en-US")).toBe("51–100 of 100");
  });
});
