import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compatibilityItems, notApplicable } from "./compatibility-items.js";

/** Titles of every test and describe block in the IdP suites of this folder, `.each` tables included. */
function suiteTitles(): string[] {
  const folder = new URL("./", import.meta.url);
  const titles: string[] = [];
  for (const file of readdirSync(folder).filter((name) => name.endsWith(".test.ts") && name !== "coverage.test.ts")) {
    const source = readFileSync(new URL(file, folder), "utf8");
    for (const call of source.matchAll(/\b(?:it|test|describe)(\.each)?\(/g)) {
      // For `it.each(table)("title", …)` the title follows the table's closing parenthesis.
      let at = call.index + call[0].length;
      if (call[1]) at = afterClosingParenthesis(source, at) + 1;
      const title = /^\s*(["'`])((?:\\.|(?!\1)[^\\])*)\1/.exec(source.slice(at));
      if (title) titles.push(title[2]!);
    }
  }
  return titles;
}

/** Index just past the parenthesis that closes the one opened before `start` (strings may hold parentheses). */
function afterClosingParenthesis(source: string, start: number): number {
  let depth = 1;
  let quote: string | undefined;
  for (let i = start; i < source.length; i++) {
    const char = source[i]!;
    if (quote) {
      if (char === "\\") i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === "`") quote = char;
    else if (char === "(") depth++;
    else if (char === ")" && --depth === 0) return i + 1;
  }
  return source.length;
}

describe("IdP compatibility coverage", () => {
  const titles = suiteTitles();

  it("covers every ENT, VAL and OKT item with a test that names it, or lists it as not applicable", () => {
    const uncovered = Object.keys(compatibilityItems).filter((id) => !(id in notApplicable) && !titles.some((title) => new RegExp(`\\b${id}\\b`).test(title)));
    expect(uncovered).toEqual([]);
  });

  it("gives a reason for every item it lists as not applicable, and names only known items", () => {
    for (const [id, reason] of Object.entries(notApplicable)) {
      expect(compatibilityItems[id], id).toBeDefined();
      expect(reason.length).toBeGreaterThan(40);
    }
  });

  it("names only item ids that exist", () => {
    const named = new Set(titles.flatMap((title) => title.match(/\b(?:ENT|VAL|OKT)-\d{2}\b/g) ?? []));
    expect([...named].filter((id) => !(id in compatibilityItems))).toEqual([]);
  });
});
