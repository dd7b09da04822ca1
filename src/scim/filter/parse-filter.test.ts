import { describe, expect, it } from "vitest";
import type { FilterNode } from "./ast.js";
import { parseFilter } from "./parse-filter.js";

function parsed(text: string): FilterNode {
  const result = parseFilter(text);
  if (!result.ok) throw new Error(`expected ${text} to parse, got: ${result.error.detail}`);
  return result.value;
}

function rejection(text: string) {
  const result = parseFilter(text);
  if (result.ok) throw new Error(`expected ${text} to be rejected, got ${JSON.stringify(result.value)}`);
  return result.error;
}

const eq = (attribute: string, value: string | number | boolean | null): FilterNode => ({ kind: "compare", path: { attribute }, op: "eq", value });
const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

describe("parseFilter: expressions", () => {
  it("parses a comparison with each operator, lower-cased in the AST", () => {
    for (const op of ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"] as const) {
      expect(parsed(`title ${op} "x"`)).toEqual({ kind: "compare", path: { attribute: "title" }, op, value: "x" });
    }
  });

  it("accepts operators and keywords in any case", () => {
    expect(parsed('USERNAME Eq "a" AnD title EQ "b" oR NOT (nickName PR)')).toEqual({
      kind: "or",
      left: { kind: "and", left: eq("USERNAME", "a"), right: eq("title", "b") },
      right: { kind: "not", operand: { kind: "present", path: { attribute: "nickName" } } },
    });
  });

  it("parses pr as a presence test", () => {
    expect(parsed("title pr")).toEqual({ kind: "present", path: { attribute: "title" } });
  });

  it("binds and tighter than or: a or b and c is a or (b and c)", () => {
    expect(parsed('userName eq "a" or userName eq "b" and active eq false')).toEqual({
      kind: "or",
      left: eq("userName", "a"),
      right: { kind: "and", left: eq("userName", "b"), right: eq("active", false) },
    });
  });

  it("groups and before or on the left too: a and b or c is (a and b) or c", () => {
    expect(parsed('title eq "a" and title eq "b" or title eq "c"')).toEqual({
      kind: "or",
      left: { kind: "and", left: eq("title", "a"), right: eq("title", "b") },
      right: eq("title", "c"),
    });
  });

  it("associates chains of and to the left", () => {
    expect(parsed("a pr and b pr and c pr")).toEqual({
      kind: "and",
      left: { kind: "and", left: { kind: "present", path: { attribute: "a" } }, right: { kind: "present", path: { attribute: "b" } } },
      right: { kind: "present", path: { attribute: "c" } },
    });
  });

  it("lets parentheses override precedence", () => {
    expect(parsed('(title eq "a" or title eq "b") and active eq true')).toEqual({
      kind: "and",
      left: { kind: "or", left: eq("title", "a"), right: eq("title", "b") },
      right: eq("active", true),
    });
  });

  it("binds not to its parenthesised group only, tighter than and", () => {
    expect(parsed('not (title eq "a") and title eq "b"')).toEqual({
      kind: "and",
      left: { kind: "not", operand: eq("title", "a") },
      right: eq("title", "b"),
    });
  });

  it("accepts not directly followed by a parenthesis", () => {
    expect(parsed('not(title eq "a" or title eq "b")')).toEqual({
      kind: "not",
      operand: { kind: "or", left: eq("title", "a"), right: eq("title", "b") },
    });
  });

  it("reads not followed by an operator as an attribute named not", () => {
    expect(parsed("not pr")).toEqual({ kind: "present", path: { attribute: "not" } });
  });

  it("tolerates extra whitespace, tabs and newlines between tokens", () => {
    expect(parsed('  title \t eq\n"a"   ')).toEqual(eq("title", "a"));
  });
});

describe("parseFilter: literals", () => {
  it("decodes every JSON escape in strings", () => {
    expect(parsed(String.raw`title eq "a\"b\\c\/d\u00e9\n\t\r\b\f"`)).toEqual(eq("title", 'a"b\\c/d\u00e9\n\t\r\b\f'));
  });

  it("decodes a surrogate pair written as two \\u escapes", () => {
    expect(parsed(String.raw`title eq "\ud83d\ude00"`)).toEqual(eq("title", "😀"));
  });

  it("keeps and/or/not inside a string literal as text (the Sales and Marketing trap)", () => {
    expect(parsed('displayName eq "Sales and Marketing"')).toEqual(eq("displayName", "Sales and Marketing"));
    expect(parsed('displayName eq "R or D" or displayName eq "not (x)"')).toEqual({
      kind: "or",
      left: eq("displayName", "R or D"),
      right: eq("displayName", "not (x)"),
    });
  });

  it("keeps brackets and parentheses inside a string literal as text", () => {
    expect(parsed('title eq "a[b](c)"')).toEqual(eq("title", "a[b](c)"));
  });

  it("parses true, false and null in any case", () => {
    expect(parsed("active eq True")).toEqual(eq("active", true));
    expect(parsed("active eq FALSE")).toEqual(eq("active", false));
    expect(parsed("title eq NuLL")).toEqual(eq("title", null));
  });

  it("parses JSON numbers: integers, negatives, fractions, exponents", () => {
    expect(parsed("n eq 42")).toEqual(eq("n", 42));
    expect(parsed("n eq -7")).toEqual(eq("n", -7));
    expect(parsed("n eq 3.25")).toEqual(eq("n", 3.25));
    expect(parsed("n eq 1e3")).toEqual(eq("n", 1000));
    expect(parsed("n eq -2.5E-2")).toEqual(eq("n", -0.025));
  });

  it("accepts a string literal written right after the operator", () => {
    expect(parsed('title eq"a"')).toEqual(eq("title", "a"));
  });
});

describe("parseFilter: attribute paths", () => {
  it("parses a sub-attribute path", () => {
    expect(parsed('name.givenName eq "Ann"')).toEqual({ kind: "compare", path: { attribute: "name", subAttribute: "givenName" }, op: "eq", value: "Ann" });
  });

  it("splits a URN-prefixed path at the last colon although the URN contains dots", () => {
    expect(parsed(`${enterprise}:manager.value eq "m1"`)).toEqual({
      kind: "compare",
      path: { uri: enterprise, attribute: "manager", subAttribute: "value" },
      op: "eq",
      value: "m1",
    });
  });

  it("recognises a URN prefix in any case", () => {
    expect(parsed('URN:ietf:params:scim:schemas:core:2.0:User:userName eq "a"')).toEqual({
      kind: "compare",
      path: { uri: "URN:ietf:params:scim:schemas:core:2.0:User", attribute: "userName" },
      op: "eq",
      value: "a",
    });
  });

  it("accepts $ref as an attribute name", () => {
    expect(parsed('members.$ref eq "https://x/Users/1"')).toEqual({
      kind: "compare",
      path: { attribute: "members", subAttribute: "$ref" },
      op: "eq",
      value: "https://x/Users/1",
    });
  });

  it("accepts digits, hyphens and underscores after the first letter", () => {
    expect(parsed("x509Certificates pr")).toEqual({ kind: "present", path: { attribute: "x509Certificates" } });
    expect(parsed("a-b_c pr")).toEqual({ kind: "present", path: { attribute: "a-b_c" } });
  });
});

describe("parseFilter: value filters", () => {
  it("parses attr[filter]", () => {
    expect(parsed('emails[type eq "work" and value co "@example.com"]')).toEqual({
      kind: "valuePath",
      path: { attribute: "emails" },
      filter: { kind: "and", left: eq("type", "work"), right: { kind: "compare", path: { attribute: "value" }, op: "co", value: "@example.com" } },
    });
  });

  it("parses a parenthesised group inside the brackets (errata 7322)", () => {
    expect(parsed('emails[type eq "work" or (type eq "home" and primary eq true)]')).toEqual({
      kind: "valuePath",
      path: { attribute: "emails" },
      filter: { kind: "or", left: eq("type", "work"), right: { kind: "and", left: eq("type", "home"), right: eq("primary", true) } },
    });
  });

  it("parses emails[type eq \"work\"].value eq \"x\" as one element matching both tests", () => {
    expect(parsed('emails[type eq "work"].value eq "x"')).toEqual({
      kind: "valuePath",
      path: { attribute: "emails" },
      filter: { kind: "and", left: eq("type", "work"), right: eq("value", "x") },
    });
  });

  it("accepts pr and other operators after the closing bracket", () => {
    expect(parsed('emails[type eq "work"].value pr')).toEqual({
      kind: "valuePath",
      path: { attribute: "emails" },
      filter: { kind: "and", left: eq("type", "work"), right: { kind: "present", path: { attribute: "value" } } },
    });
    expect(parsed('emails[type eq "work"].Value SW "a"')).toMatchObject({ filter: { right: { op: "sw", path: { attribute: "Value" } } } });
  });

  it("combines a value filter with other terms", () => {
    expect(parsed('userType eq "Employee" and emails[type eq "work"]')).toEqual({
      kind: "and",
      left: eq("userType", "Employee"),
      right: { kind: "valuePath", path: { attribute: "emails" }, filter: eq("type", "work") },
    });
  });
});

describe("parseFilter: filters real identity providers send", () => {
  it("ENT-10 Test Connection: userName eq a random GUID", () => {
    expect(parsed('userName eq "09d1c6a2-4b7e-4f0e-9c43-2f5d8e1a7b66"')).toEqual(eq("userName", "09d1c6a2-4b7e-4f0e-9c43-2f5d8e1a7b66"));
  });

  it("ENT-20 matching query by userName and by externalId", () => {
    expect(parsed('userName eq "alex.ng@contoso.example"')).toEqual(eq("userName", "alex.ng@contoso.example"));
    expect(parsed('externalId eq "alexng"')).toEqual(eq("externalId", "alexng"));
  });

  it("ENT-34 reference check: id eq \"x\" and manager eq \"y\"", () => {
    expect(parsed('id eq "x" and manager eq "y"')).toEqual({ kind: "and", left: eq("id", "x"), right: eq("manager", "y") });
  });

  it("ENT-50 group matching by displayName", () => {
    expect(parsed('displayName eq "Finance EU"')).toEqual(eq("displayName", "Finance EU"));
  });

  it("OKT-10 existence check with an @ in the value", () => {
    expect(parsed('userName eq "kim.lee@example.org"')).toEqual(eq("userName", "kim.lee@example.org"));
  });

  it("§3.6 membership check: id eq \"g\" and members eq \"u\"", () => {
    expect(parsed('id eq "g" and members eq "u"')).toEqual({ kind: "and", left: eq("id", "g"), right: eq("members", "u") });
  });

  it("RFC-01 upper-case attribute and mixed-case operator: USERNAME Eq", () => {
    expect(parsed('USERNAME Eq "x"')).toEqual(eq("USERNAME", "x"));
  });

  it("the members.value and members[value eq …] forms", () => {
    expect(parsed('members.value eq "u1"')).toEqual({ kind: "compare", path: { attribute: "members", subAttribute: "value" }, op: "eq", value: "u1" });
    expect(parsed('members[value eq "u1"]')).toEqual({ kind: "valuePath", path: { attribute: "members" }, filter: eq("value", "u1") });
  });
});

describe("parseFilter: errors", () => {
  it("returns invalidFilter with position and token when the operator is unknown", () => {
    const error = rejection('userName foo "x"');
    expect(error.scimType).toBe("invalidFilter");
    expect(error.status).toBe(400);
    expect(error.detail).toBe('Invalid filter at position 10: expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "userName", found "foo".');
  });

  it("returns invalidFilter when the operator is missing at the end", () => {
    expect(rejection("userName").detail).toBe(
      "Invalid filter at position 9: expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after \"userName\", found the end of the filter.",
    );
  });

  it("returns invalidFilter when the value is an unquoted word (Okta's malformed bare filter)", () => {
    expect(rejection("userName eq bob").detail).toBe(
      'Invalid filter at position 13: expected a value (a "string", a number, true, false or null) after "eq", found "bob".',
    );
  });

  it("returns invalidFilter when the value is missing", () => {
    expect(rejection("userName eq").detail).toContain("position 12: expected a value");
  });

  it("returns invalidFilter when the filter is a bare value", () => {
    expect(rejection('"kim.lee@example.org"').detail).toBe(
      'Invalid filter at position 1: expected an attribute path, "(" or "not", found the string "kim.lee@example.org".',
    );
  });

  it("returns invalidFilter when a string is not closed", () => {
    expect(rejection('userName eq "abc').detail).toBe("Invalid filter at position 13: the string starting here has no closing quote.");
  });

  it("returns invalidFilter when a string has an unknown escape", () => {
    expect(rejection(String.raw`title eq "a\x"`).detail).toMatch(/^Invalid filter at position 12: invalid escape "\\x" in a string/);
    expect(rejection(String.raw`title eq "\u12"`).detail).toMatch(/^Invalid filter at position 11: invalid escape "\\u12" in/);
  });

  it("returns invalidFilter when a string contains a raw control character", () => {
    expect(rejection('title eq "a\u0001b"').detail).toBe("Invalid filter at position 12: control character U+0001 must be escaped inside a string.");
  });

  it("returns invalidFilter when a parenthesis is not closed", () => {
    expect(rejection("(title pr").detail).toBe('Invalid filter at position 10: expected "and", "or" or ")", found the end of the filter.');
  });

  it("returns invalidFilter for a stray closing parenthesis", () => {
    expect(rejection("title pr)").detail).toBe('Invalid filter at position 9: expected "and", "or" or the end of the filter, found ")".');
  });

  it("returns invalidFilter for two terms without and/or", () => {
    expect(rejection('title pr nickName pr').detail).toBe('Invalid filter at position 10: expected "and", "or" or the end of the filter, found "nickName".');
  });

  it("returns invalidFilter when and has no right operand", () => {
    expect(rejection("title pr and").detail).toBe('Invalid filter at position 13: expected an attribute path, "(" or "not", found the end of the filter.');
  });

  it("returns invalidFilter when not is not followed by a parenthesis", () => {
    expect(rejection('not title eq "x"').detail).toBe('Invalid filter at position 5: expected "(" after "not" (write not (…)), found "title".');
  });

  it("returns invalidFilter for an empty group", () => {
    expect(rejection("()").detail).toBe('Invalid filter at position 2: expected an attribute path, "(" or "not", found ")".');
  });

  it("returns invalidFilter for nested value filters", () => {
    expect(rejection('emails[type eq "a" and x[y pr]]').detail).toBe(
      'Invalid filter at position 25: value filters cannot be nested: "x[" appears inside another "[…]".',
    );
  });

  it("returns invalidFilter when a value filter is not closed", () => {
    expect(rejection('emails[type eq "work"').detail).toBe('Invalid filter at position 22: expected "and", "or" or "]", found the end of the filter.');
  });

  it("returns invalidFilter when the name after ]. is not a sub-attribute name", () => {
    expect(rejection('emails[type eq "work"].1x eq "a"').detail).toBe('Invalid filter at position 23: expected a sub-attribute name after "]", found ".1x".');
  });

  it("returns invalidFilter for an attribute name that does not start with a letter", () => {
    expect(rejection('1abc eq "x"').detail).toBe(
      'Invalid filter at position 1: expected an attribute path, but "1abc" is not an attribute path: "1abc" is not an attribute name (a letter, then letters, digits, "-" or "_").',
    );
  });

  it("returns invalidFilter for more than one level of sub-attributes", () => {
    expect(rejection('name.givenName.x eq "a"').detail).toContain("an attribute has at most one level of sub-attributes");
  });

  it("returns invalidFilter for a colon prefix that is not a URN", () => {
    expect(rejection('userName:x eq "a"').detail).toContain('only a schema URN ("urn:…:") may prefix an attribute name');
  });

  it("returns invalidFilter for a number that does not fit a double", () => {
    expect(rejection("n eq 1e400").detail).toBe("Invalid filter at position 6: the number 1e400 is out of range.");
  });

  it("returns invalidFilter for a non-JSON number such as 01 or .5", () => {
    expect(rejection("n eq 01").detail).toContain('found "01"');
    expect(rejection("n eq .5").detail).toContain('found ".5"');
  });

  it("returns invalidFilter for an empty or blank filter", () => {
    expect(rejection("").detail).toBe("Invalid filter: the filter is empty.");
    expect(rejection("   ").detail).toBe("Invalid filter: the filter is empty.");
  });

  it("returns invalidFilter for a filter longer than 8192 characters", () => {
    const long = `title eq "${"x".repeat(8200)}"`;
    expect(rejection(long).detail).toBe(`Invalid filter: the filter is ${long.length} characters long; at most 8192 are accepted.`);
  });

  it("returns invalidFilter when nesting goes deeper than 64 levels", () => {
    expect(parseFilter(`${"(".repeat(64)}title pr${")".repeat(64)}`).ok).toBe(true);
    expect(rejection(`${"(".repeat(65)}title pr${")".repeat(65)}`).detail).toBe(
      'Invalid filter at position 65: nesting is deeper than 64 levels of "(" and "[".',
    );
    expect(rejection(`${"not (".repeat(65)}title pr${")".repeat(65)}`).scimType).toBe("invalidFilter");
  });

  it("returns invalidFilter when given something other than a string", () => {
    expect(rejection(42 as unknown as string).detail).toBe("Invalid filter: the filter must be a string.");
  });

  it("quotes at most 60 characters of an offending token", () => {
    const detail = rejection(`title eq ${"y".repeat(500)}`).detail;
    expect(detail).toContain(`found "${"y".repeat(60)}…"`);
    expect(detail.length).toBeLessThan(200);
  });
});
