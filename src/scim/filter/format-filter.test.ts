import { describe, expect, it } from "vitest";
import type { FilterNode } from "./ast.js";
import { formatFilter, formatPath } from "./format-filter.js";
import { parseFilter } from "./parse-filter.js";

function canonical(text: string): string {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(parsed.error.detail);
  return formatFilter(parsed.value);
}

describe("formatFilter", () => {
  it("prints lower-case operators, keywords and JSON literals", () => {
    expect(canonical('USERNAME EQ "a" AND active Eq TRUE OR title Pr')).toBe('USERNAME eq "a" and active eq true or title pr');
    expect(canonical("title eq NULL")).toBe("title eq null");
    expect(canonical("n eq 1E3")).toBe("n eq 1000");
  });

  it("escapes strings as JSON", () => {
    expect(canonical(String.raw`title eq "a\"b\\c\u00e9\n"`)).toBe(String.raw`title eq "a\"b\\cé\n"`);
  });

  it("prints only the parentheses precedence needs", () => {
    expect(canonical('(a pr and b pr) or c pr')).toBe("a pr and b pr or c pr");
    expect(canonical('a pr and (b pr or c pr)')).toBe("a pr and (b pr or c pr)");
    expect(canonical('a pr and (b pr and c pr)')).toBe("a pr and (b pr and c pr)");
    expect(canonical('((a pr))')).toBe("a pr");
  });

  it("prints not with its group", () => {
    expect(canonical('not(a pr) and NOT (b pr or c pr)')).toBe("not (a pr) and not (b pr or c pr)");
  });

  it("prints value filters, folding the ].sub form into the brackets", () => {
    expect(canonical('emails[type eq "work"].value eq "x"')).toBe('emails[type eq "work" and value eq "x"]');
  });

  it("prints URN-qualified paths with their sub-attribute", () => {
    expect(formatPath({ uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", attribute: "manager", subAttribute: "value" })).toBe(
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
    );
  });

  it("keeps the sign of negative zero so that it parses back", () => {
    const node: FilterNode = { kind: "compare", path: { attribute: "n" }, op: "eq", value: -0 };
    expect(formatFilter(node)).toBe("n eq -0");
    // toEqual tells -0 from 0 (Object.is), so this fails if the sign is lost.
    expect(parseFilter(formatFilter(node))).toEqual({ ok: true, value: node });
    expect(parseFilter("n eq 0")).not.toEqual({ ok: true, value: node });
  });
});
