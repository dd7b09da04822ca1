import { describe, expect, it } from "vitest";
import { slugProblem, suggestSlug } from "./tenant-slug";

describe("slugProblem", () => {
  it.each(["acme", "a", "9", "acme-eu-2", "a".repeat(63)])("accepts %s as the server does", (slug) => {
    expect(slugProblem(slug)).toBeNull();
  });

  it("asks for a slug when it is empty", () => {
    expect(slugProblem("")).toBe("Enter a slug.");
  });

  it("refuses capitals, as URLs with them would be ambiguous", () => {
    expect(slugProblem("Acme")).toBe("Use lower-case letters only.");
  });

  it.each(["acme corp", "acme_corp", "acmé", "acme/eu"])("refuses %s for characters outside letters, digits and hyphens", (slug) => {
    expect(slugProblem(slug)).toBe("Use only lower-case letters, digits and hyphens.");
  });

  it.each(["-acme", "acme-", "-"])("refuses %s for a hyphen at either end", (slug) => {
    expect(slugProblem(slug)).toBe("Start and end with a letter or digit.");
  });

  it("refuses more than 63 characters", () => {
    expect(slugProblem("a".repeat(64))).toBe("Use at most 63 characters.");
  });
});

describe("suggestSlug", () => {
  it("turns a name into a slug the server accepts", () => {
    expect(suggestSlug("Acme Corp.")).toBe("acme-corp");
    expect(suggestSlug("  Société Générale (EU) ")).toBe("societe-generale-eu");
  });

  it("keeps suggestions within 63 characters without a trailing hyphen", () => {
    const slug = suggestSlug(`${"a".repeat(62)} b`);
    expect(slug).toBe("a".repeat(62));
    expect(slugProblem(slug)).toBeNull();
  });
});
