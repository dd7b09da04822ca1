import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compatibilityItems, notApplicable } from "./compatibility-items.js";

/** Titles of every test and describe block in the IdP suites of this folder. */
function suiteTitles(): string[] {
  const folder = new URL("./", import.meta.url);
  const titles: string[] = [];
  for (const file of readdirSync(folder).filter((name) => name.endsWith(".test.ts") && name !== "coverage.test.ts")) {
    const source = readFileSync(new URL(file, folder), "utf8");
    for (const match of source.matchAll(/\b(?:it|test|describe)(?:\.each\([^)]*\))?\(\s*(["'`])((?:\\.|(?!\1).)*)\1/g)) titles.push(match[2]!);
  }
  return titles;
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
