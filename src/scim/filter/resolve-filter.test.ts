import { describe, expect, it } from "vitest";
import { attribute } from "../schema/attribute.js";
import { registry, ResourceSchema } from "../schema/registry.js";
import { Urn } from "../urns.js";
import type { FilterNode } from "./ast.js";
import { parseFilter } from "./parse-filter.js";
import type { ResolvedFilter } from "./resolved.js";
import { resolveFilter } from "./resolve-filter.js";

const users = registry.forType("User");
const groups = registry.forType("Group");
/** The core schemas have no numbers, so the integer and decimal rules are checked on a small test schema. */
const counters = new ResourceSchema(
  { id: "User", name: "User", endpoint: "/Users", description: "", schema: "urn:example:counters", schemaExtensions: [] },
  { id: "urn:example:counters", name: "Counters", description: "", attributes: [attribute("loginCount", "integer"), attribute("score", "decimal")] },
  [],
);

function resolved(text: string, schema: ResourceSchema = users): ResolvedFilter {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(`expected ${text} to parse: ${parsed.error.detail}`);
  const result = resolveFilter(parsed.value, schema);
  if (!result.ok) throw new Error(`expected ${text} to resolve: ${result.error.detail}`);
  return result.value;
}

function rejected(text: string, schema: ResourceSchema = users): string {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(`expected ${text} to parse: ${parsed.error.detail}`);
  const result = resolveFilter(parsed.value, schema);
  if (result.ok) throw new Error(`expected ${text} to be rejected`);
  expect(result.error.scimType).toBe("invalidFilter");
  expect(result.error.status).toBe(400);
  return result.error.detail;
}

/** The names a resolved comparison is bound to, and its converted value. */
function binding(filter: ResolvedFilter) {
  if (filter.kind !== "compare") throw new Error(`expected a comparison, got ${filter.kind}`);
  return { schema: filter.attr.schema, extension: filter.attr.extension, attribute: filter.attr.attribute.name, subAttribute: filter.attr.subAttribute?.name, op: filter.op, value: filter.value };
}

describe("resolveFilter: binding paths", () => {
  it("binds attribute names case-insensitively to their canonical definitions", () => {
    expect(binding(resolved('USERNAME Eq "Alex"'))).toEqual({ schema: Urn.User, extension: false, attribute: "userName", subAttribute: undefined, op: "eq", value: "Alex" });
  });

  it("binds a core-URN-qualified path to the core attribute", () => {
    expect(binding(resolved(`${Urn.User}:name.GIVENNAME eq "Ann"`))).toMatchObject({ attribute: "name", subAttribute: "givenName" });
  });

  it("binds an enterprise extension path, marking it as an extension", () => {
    expect(binding(resolved(`${Urn.EnterpriseUser}:employeeNumber eq "100232"`))).toEqual({
      schema: Urn.EnterpriseUser, extension: true, attribute: "employeeNumber", subAttribute: undefined, op: "eq", value: "100232",
    });
  });

  it("binds id and externalId, which every resource has", () => {
    expect(binding(resolved('externalId eq "e1"'))).toMatchObject({ schema: Urn.User, attribute: "externalId" });
    expect(binding(resolved('id eq "g"', groups))).toMatchObject({ schema: Urn.Group, attribute: "id" });
  });

  it("binds a comparison on a complex attribute without sub-attribute to its value sub-attribute (members eq, emails co)", () => {
    expect(binding(resolved('members eq "u1"', groups))).toMatchObject({ attribute: "members", subAttribute: "value", value: "u1" });
    expect(binding(resolved('emails co "@example.com"'))).toMatchObject({ attribute: "emails", subAttribute: "value", op: "co" });
  });

  it("binds ENT-34 manager eq \"y\" to manager.value in the enterprise extension", () => {
    const filter = resolved(`id eq "x" and ${Urn.EnterpriseUser}:manager eq "y"`);
    expect(filter.kind === "and" && binding(filter.right)).toMatchObject({ schema: Urn.EnterpriseUser, attribute: "manager", subAttribute: "value" });
  });

  it("binds an extension attribute named without its URN when only one extension defines it (ENT-34 manager eq \"y\")", () => {
    const filter = resolved('id eq "x" and manager eq "y"');
    expect(filter.kind === "and" && binding(filter.right)).toMatchObject({ schema: Urn.EnterpriseUser, extension: true, attribute: "manager", subAttribute: "value" });
    expect(binding(resolved('DEPARTMENT eq "Finance"'))).toMatchObject({ schema: Urn.EnterpriseUser, attribute: "department" });
    expect(rejected('department eq "Finance"', groups)).toBe('Invalid filter: unknown attribute "department" for Group resources.');
  });

  it("keeps pr on a complex attribute unbound, testing the attribute as a whole", () => {
    const filter = resolved("name pr");
    expect(filter.kind === "present" && filter.attr.attribute.name).toBe("name");
    expect(filter.kind === "present" && filter.attr.subAttribute).toBeUndefined();
  });

  it("resolves the §3.6 membership check id eq \"g\" and members eq \"u\" on groups", () => {
    const filter = resolved('id eq "g" and members eq "u"', groups);
    expect(filter.kind).toBe("and");
    if (filter.kind === "and") {
      expect(binding(filter.left)).toMatchObject({ attribute: "id", value: "g" });
      expect(binding(filter.right)).toMatchObject({ attribute: "members", subAttribute: "value", value: "u" });
    }
  });

  it("returns invalidFilter naming an unknown attribute", () => {
    expect(rejected('nickname2 eq "x"')).toBe('Invalid filter: unknown attribute "nickname2" for User resources.');
  });

  it("returns invalidFilter naming an unknown sub-attribute", () => {
    expect(rejected('name.middle eq "x"')).toBe('Invalid filter: unknown sub-attribute "middle" of "name".');
  });

  it("returns invalidFilter for an unknown schema URN", () => {
    expect(rejected('urn:example:custom:2.0:User:badge eq "x"')).toBe('Invalid filter: unknown schema "urn:example:custom:2.0:User" for User resources.');
  });

  it("returns invalidFilter for an extension attribute of another resource type", () => {
    expect(rejected(`${Urn.EnterpriseUser}:employeeNumber eq "1"`, groups)).toContain("unknown schema");
  });

  it("returns invalidFilter for a whole-schema reference", () => {
    expect(rejected(`${Urn.EnterpriseUser} pr`)).toBe(
      `Invalid filter: "${Urn.EnterpriseUser}" names the whole schema "${Urn.EnterpriseUser}", not an attribute.`,
    );
  });

  it("returns invalidFilter for password, which is never returned", () => {
    expect(rejected('password eq "secret"')).toBe('Invalid filter: "password" is never returned, so it cannot be used in a filter.');
    expect(rejected("password pr")).toContain('"password" is never returned');
  });

  it("returns invalidFilter comparing a complex attribute that has no value sub-attribute", () => {
    expect(rejected('name eq "Ann"')).toBe('Invalid filter: "name" is a complex attribute without a "value" sub-attribute; compare one of its sub-attributes instead.');
    expect(rejected('meta gt "2026-01-01T00:00:00Z"')).toContain('"meta" is a complex attribute');
  });
});

describe("resolveFilter: value paths", () => {
  it("binds inner paths as sub-attributes of the value path's attribute", () => {
    const filter = resolved('emails[TYPE eq "work" and value co "@x"]');
    expect(filter.kind).toBe("valuePath");
    if (filter.kind !== "valuePath" || filter.filter.kind !== "and") throw new Error("unexpected shape");
    expect(filter.attr.attribute.name).toBe("emails");
    expect(binding(filter.filter.left)).toMatchObject({ attribute: "emails", subAttribute: "type", value: "work" });
    expect(binding(filter.filter.right)).toMatchObject({ attribute: "emails", subAttribute: "value", op: "co" });
  });

  it("binds the emails[type eq \"work\"].value eq form", () => {
    const filter = resolved('emails[type eq "work"].value eq "a@x"');
    expect(filter.kind === "valuePath" && filter.filter.kind).toBe("and");
  });

  it("accepts a value path on a single-valued complex attribute", () => {
    const filter = resolved(`${Urn.EnterpriseUser}:manager[value eq "m1"]`);
    expect(filter.kind === "valuePath" && filter.attr.extension).toBe(true);
  });

  it("converts literals inside the brackets by the sub-attribute's type", () => {
    const filter = resolved('emails[primary eq "True"]');
    expect(filter.kind === "valuePath" && binding(filter.filter)).toMatchObject({ subAttribute: "primary", value: true });
  });

  it("returns invalidFilter for a value path on a simple attribute", () => {
    expect(rejected('userName[value eq "x"]')).toBe('Invalid filter: "userName[…]" filters the values of a complex attribute, but "userName" is not one.');
  });

  it("returns invalidFilter for a value path on a sub-attribute", () => {
    expect(rejected('name.givenName[value eq "x"]')).toContain('but "name.givenName" is not one');
  });

  it("returns invalidFilter for an unknown sub-attribute inside the brackets", () => {
    expect(rejected('emails[kind eq "work"]')).toBe('Invalid filter: unknown sub-attribute "kind" of "emails" inside "emails[…]".');
  });

  it("returns invalidFilter for a dotted or URN path inside the brackets", () => {
    expect(rejected('emails[emails.type eq "work"]')).toBe('Invalid filter: inside "emails[…]" name a sub-attribute of "emails" directly, not "emails.type".');
    expect(rejected(`emails[${Urn.User}:type eq "work"]`)).toContain('inside "emails[…]" name a sub-attribute');
  });

  it("returns invalidFilter for a nested value path built without the parser", () => {
    const nested: FilterNode = {
      kind: "valuePath",
      path: { attribute: "emails" },
      filter: { kind: "valuePath", path: { attribute: "type" }, filter: { kind: "present", path: { attribute: "value" } } },
    };
    const result = resolveFilter(nested, users);
    expect(!result.ok && result.error.detail).toBe('Invalid filter: value filters cannot be nested: "type[…]" appears inside "emails[…]".');
  });
});

describe("resolveFilter: types and operators", () => {
  it("accepts boolean literals and the strings true/false in any case for booleans", () => {
    expect(binding(resolved("active eq true")).value).toBe(true);
    expect(binding(resolved('active eq "False"')).value).toBe(false);
    expect(binding(resolved('active ne "TRUE"')).value).toBe(true);
  });

  it("returns invalidFilter for other values compared with a boolean", () => {
    expect(rejected('active eq "yes"')).toBe('Invalid filter: the boolean attribute "active" needs true or false, not "yes".');
    expect(rejected("active eq 1")).toContain("needs true or false, not 1");
  });

  it("returns invalidFilter for gt, ge, lt, le on a boolean (RFC-08 active gt true)", () => {
    for (const op of ["gt", "ge", "lt", "le"]) {
      expect(rejected(`active ${op} true`)).toBe(`Invalid filter: "${op}" cannot be used on the boolean attribute "active": boolean values have no order.`);
    }
  });

  it("returns invalidFilter for gt, ge, lt, le on a binary attribute", () => {
    expect(rejected('x509Certificates.value gt "AAAA"')).toBe(
      'Invalid filter: "gt" cannot be used on the binary attribute "x509Certificates.value": binary values have no order.',
    );
  });

  it("accepts co, sw and ew on binary, string and reference attributes", () => {
    expect(binding(resolved('x509Certificates.value sw "MII"')).op).toBe("sw");
    expect(binding(resolved('profileUrl ew ".png"')).op).toBe("ew");
    expect(binding(resolved('title co "VP"')).op).toBe("co");
  });

  it("returns invalidFilter for co, sw, ew on boolean and dateTime attributes", () => {
    expect(rejected('active co "t"')).toBe('Invalid filter: "co" cannot be used on the boolean attribute "active": it is a string operator.');
    expect(rejected('meta.created sw "2026"')).toBe('Invalid filter: "sw" cannot be used on the dateTime attribute "meta.created": it is a string operator.');
  });

  it("accepts integer literals for integers, including 2.0, and rejects fractions and strings", () => {
    expect(binding(resolved("loginCount ge 3", counters)).value).toBe(3);
    expect(binding(resolved("loginCount eq 2.0", counters)).value).toBe(2);
    expect(rejected("loginCount eq 2.5", counters)).toBe('Invalid filter: the integer attribute "loginCount" needs an integer, not 2.5.');
    expect(rejected('loginCount eq "3"', counters)).toContain('needs an integer, not "3"');
  });

  it("accepts any number for decimals and rejects strings", () => {
    expect(binding(resolved("score lt 2.5e1", counters)).value).toBe(25);
    expect(rejected('score lt "25"', counters)).toBe('Invalid filter: the decimal attribute "score" needs a number, not "25".');
  });

  it("returns invalidFilter for co, sw, ew on integer and decimal attributes", () => {
    expect(rejected("loginCount co 1", counters)).toContain('"co" cannot be used on the integer attribute "loginCount"');
    expect(rejected("score ew 1", counters)).toContain('"ew" cannot be used on the decimal attribute "score"');
  });

  it("converts a dateTime literal to canonical UTC ISO text", () => {
    expect(binding(resolved('meta.lastModified gt "2026-01-01T00:00:00Z"')).value).toBe("2026-01-01T00:00:00.000Z");
    expect(binding(resolved('meta.lastModified ge "2026-01-01T01:30:00+01:30"')).value).toBe("2026-01-01T00:00:00.000Z");
    expect(binding(resolved('meta.created lt "2026-03-01T10:15:30.123456Z"')).value).toBe("2026-03-01T10:15:30.123Z");
  });

  it("returns invalidFilter for an unparseable dateTime literal", () => {
    expect(rejected('meta.created gt "yesterday"')).toBe(
      'Invalid filter: the dateTime attribute "meta.created" needs a date and time such as "2026-01-01T00:00:00Z", not "yesterday".',
    );
    expect(rejected('meta.created gt "2026-02-30T00:00:00Z"')).toContain("needs a date and time");
    expect(rejected("meta.created gt 5")).toContain("needs a date and time");
  });

  it("converts a number literal to its string form for string attributes", () => {
    expect(binding(resolved(`${Urn.EnterpriseUser}:employeeNumber eq 100232`)).value).toBe("100232");
    expect(binding(resolved("userName eq 1.5")).value).toBe("1.5");
  });

  it("returns invalidFilter for a boolean literal on a string attribute", () => {
    expect(rejected("userName eq true")).toBe('Invalid filter: the string attribute "userName" needs a string, not true.');
  });

  it("allows ordering operators on strings", () => {
    expect(binding(resolved('userName gt "m"')).op).toBe("gt");
  });

  it("turns eq null into not pr and ne null into pr", () => {
    const isNull = resolved("title eq null");
    expect(isNull.kind === "not" && isNull.operand.kind === "present" && isNull.operand.attr.attribute.name).toBe("title");
    const notNull = resolved("title ne null");
    expect(notNull.kind === "present" && notNull.attr.attribute.name).toBe("title");
  });

  it("returns invalidFilter for other operators with null", () => {
    expect(rejected("title co null")).toBe('Invalid filter: "co null" is not meaningful for "title"; only "eq null" and "ne null" are.');
  });

  it("resolves every subtree and reports the first problem found", () => {
    expect(rejected('userName eq "a" or (active eq true and foo pr)')).toBe('Invalid filter: unknown attribute "foo" for User resources.');
  });
});
