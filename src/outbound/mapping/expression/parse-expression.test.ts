import { describe, expect, it } from "vitest";
import { describeExpressionError } from "./expression-ast.js";
import { parseExpression } from "./parse-expression.js";

function errorOf(text: string): string {
  const parsed = parseExpression(text);
  if (parsed.ok) throw new Error(`parsed: ${text}`);
  return describeExpressionError(parsed.error);
}

describe("parseExpression", () => {
  it("parses literals, paths and nested calls, with function names in any case", () => {
    expect(parseExpression(`Join(" ", name.givenName, 'x', -1.5, TRUE)`)).toMatchObject({
      ok: true,
      value: {
        kind: "call",
        name: "join",
        written: "Join",
        start: 0,
        args: [
          { kind: "literal", value: " ", start: 5 },
          { kind: "path", text: "name.givenName", path: { attribute: "name", subAttribute: "givenName" }, start: 10 },
          { kind: "literal", value: "x" },
          { kind: "literal", value: -1.5 },
          { kind: "literal", value: true },
        ],
      },
    });
    expect(parseExpression("coalesce()")).toMatchObject({ ok: true, value: { kind: "call", args: [] } });
    expect(parseExpression("  lower ( userName )  ")).toMatchObject({ ok: true, value: { kind: "call", name: "lower", args: [{ kind: "path" }] } });
  });

  it("keeps value filters, URNs and their quotes inside one path", () => {
    expect(parseExpression('lower(emails[type eq "work" and value co ", )"].value)')).toMatchObject({
      ok: true,
      value: { args: [{ kind: "path", text: 'emails[type eq "work" and value co ", )"].value', path: { attribute: "emails", subAttribute: "value", valueFilter: { kind: "and" } } }] },
    });
    expect(parseExpression("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")).toMatchObject({
      ok: true,
      value: { kind: "path", path: { uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", attribute: "department" } },
    });
  });

  it("reads JSON escapes in either quote style", () => {
    expect(parseExpression(String.raw`"a\"b\\c\u00e9\n"`)).toMatchObject({ ok: true, value: { value: 'a"b\\cé\n' } });
    expect(parseExpression(String.raw`'it\'s "quoted"'`)).toMatchObject({ ok: true, value: { value: `it's "quoted"` } });
  });

  it("names the column and what was expected", () => {
    expect(errorOf("lower(userName")).toBe('expected "," or ")" after argument 1 of lower(), found the end of the expression at column 15');
    expect(errorOf('join(" " name.givenName)')).toBe('expected "," or ")" after argument 1 of join(), found "name.givenName" at column 10');
    expect(errorOf("lower(userName))")).toBe('expected the end of the expression, found ")" at column 16');
    expect(errorOf("lower(,)")).toBe('expected a value (a "string", a number, a source path or a function call), found "," at column 7');
    expect(errorOf('upper("abc)')).toBe("the string starting here has no closing \" at column 7");
    expect(errorOf(String.raw`"\q"`)).toBe(String.raw`invalid escape "\q" in a string; use \", \', \\, \n, \t or \uXXXX at column 2`);
    expect(errorOf("lower(user#Name)")).toBe('unexpected character "#" at column 11');
    expect(errorOf("")).toBe("the expression is empty at column 1");
    expect(errorOf("name.given.Name")).toMatch(/^invalid source path "name.given.Name": .*at most one level of sub-attributes at column 1$/);
    expect(errorOf('lower(emails[type eq ].value)')).toMatch(/^invalid source path .* at column 22$/);
    expect(errorOf('lower(emails[type eq "x".value)')).toBe('the filter "[" starting here has no closing "]" at column 13');
    expect(errorOf("name.givenName(x)")).toBe('"name.givenName" is not a function name at column 1');
    expect(errorOf("3abc")).toMatch(/is neither a number nor a path .* at column 1$/);
  });

  it("bounds length and nesting", () => {
    expect(errorOf(`"${"x".repeat(10_000)}"`)).toMatch(/at most 10000 are accepted/);
    expect(errorOf(`${"lower(".repeat(40)}userName${")".repeat(40)}`)).toMatch(/nested more than 32 deep at column 193$/);
  });
});
