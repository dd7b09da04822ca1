import { describe, expect, it } from "vitest";
import type { JsonObject } from "../json.js";
import { registry, type ResourceSchema } from "../schema/registry.js";
import { Urn } from "../urns.js";
import { isAssigned, matchesElement, matchesResource } from "./evaluate-filter.js";
import { parseFilter } from "./parse-filter.js";
import type { ResolvedFilter } from "./resolved.js";
import { resolveFilter } from "./resolve-filter.js";

const users = registry.forType("User");
const groups = registry.forType("Group");

function filter(text: string, schema: ResourceSchema = users): ResolvedFilter {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(parsed.error.detail);
  const result = resolveFilter(parsed.value, schema);
  if (!result.ok) throw new Error(result.error.detail);
  return result.value;
}

const matches = (doc: JsonObject, text: string, schema?: ResourceSchema) => matchesResource(doc, filter(text, schema));

const alex: JsonObject = {
  id: "u-1",
  externalId: "AlexNg",
  userName: "Alex.Ng@Contoso.example",
  name: { givenName: "Alex", familyName: "Ng" },
  active: false,
  emails: [
    { value: "alex@work.example", type: "work", primary: true },
    { value: "alex@home.example", type: "home" },
  ],
  [Urn.EnterpriseUser]: { employeeNumber: "100232", manager: { value: "m-7" } },
  meta: { created: "2026-03-01T10:15:30.000Z", lastModified: "2026-03-02T08:00:00.000Z" },
};

describe("matchesResource: strings and case", () => {
  it("compares caseExact=false attributes after folding case (userName)", () => {
    expect(matches(alex, 'userName eq "alex.ng@contoso.example"')).toBe(true);
    expect(matches(alex, 'USERNAME EQ "ALEX.NG@CONTOSO.EXAMPLE"')).toBe(true);
  });

  it("compares caseExact=true attributes exactly (externalId, id)", () => {
    expect(matches(alex, 'externalId eq "AlexNg"')).toBe(true);
    expect(matches(alex, 'externalId eq "alexng"')).toBe(false);
    expect(matches(alex, 'id eq "U-1"')).toBe(false);
  });

  it("folds Unicode case and normalisation like foldCase", () => {
    expect(matches({ displayName: "E\u0301MILE" }, 'displayName eq "\u00e9mile"')).toBe(true);
  });

  it("tests substrings, prefixes and suffixes with co, sw, ew", () => {
    expect(matches(alex, 'userName co "NG@"')).toBe(true);
    expect(matches(alex, 'userName sw "alex."')).toBe(true);
    expect(matches(alex, 'userName ew ".EXAMPLE"')).toBe(true);
    expect(matches(alex, 'userName sw "ng"')).toBe(false);
  });

  it("matches the empty string with co, sw and ew on any present value, never on an absent one", () => {
    expect(matches(alex, 'userName co ""')).toBe(true);
    expect(matches(alex, 'userName sw ""')).toBe(true);
    expect(matches(alex, 'title ew ""')).toBe(false);
  });

  it("orders strings by code point, not by UTF-16 unit", () => {
    // U+FF21 (fullwidth A) is below U+1F600 (emoji) by code point, above it by UTF-16 unit.
    const doc = { title: "\u{FF21}" };
    expect(matches(doc, 'title lt "\u{1F600}"')).toBe(true);
    expect(matches(doc, 'title gt "\u{1F600}"')).toBe(false);
  });

  it("orders caseExact=false strings after folding", () => {
    expect(matches({ title: "b" }, 'title gt "A"')).toBe(true);
    expect(matches({ title: "B" }, 'title lt "a"')).toBe(false);
    expect(matches({ title: "b" }, 'title ge "B"')).toBe(true);
    expect(matches({ title: "b" }, 'title le "B"')).toBe(true);
  });
});

describe("matchesResource: unassigned values and two-valued logic", () => {
  it("is false for any comparison on an unassigned attribute, ne included", () => {
    expect(matches(alex, 'title eq "x"')).toBe(false);
    expect(matches(alex, 'title ne "x"')).toBe(false);
    expect(matches(alex, 'title lt "zzz"')).toBe(false);
  });

  it("treats not as plain negation: not (title eq \"x\") holds without a title", () => {
    expect(matches(alex, 'not (title eq "x")')).toBe(true);
  });

  it("reads ne as: some value exists and differs", () => {
    expect(matches({ title: "CEO" }, 'title ne "cto"')).toBe(true);
    expect(matches({ title: "CEO" }, 'title ne "ceo"')).toBe(false);
  });

  it("counts null, empty string, empty array and empty object as unassigned for pr", () => {
    expect(matches({ title: null }, "title pr")).toBe(false);
    expect(matches({ title: "" }, "title pr")).toBe(false);
    expect(matches({ emails: [] }, "emails pr")).toBe(false);
    expect(matches({ name: {} }, "name pr")).toBe(false);
    expect(matches({ emails: [{}] }, "emails pr")).toBe(false);
    expect(matches({ title: "x" }, "title pr")).toBe(true);
    expect(matches(alex, "name pr")).toBe(true);
  });

  it("never matches an empty string with eq", () => {
    expect(matches({ title: "" }, 'title eq ""')).toBe(false);
  });

  it("implements eq null as not pr and ne null as pr", () => {
    expect(matches(alex, "title eq null")).toBe(true);
    expect(matches(alex, "userName eq null")).toBe(false);
    expect(matches(alex, "userName ne null")).toBe(true);
  });

  it("evaluates and/or with the usual precedence", () => {
    expect(matches(alex, 'userName eq "nobody" or userName co "alex" and active eq false')).toBe(true);
    expect(matches(alex, '(userName eq "nobody" or userName co "alex") and active eq true')).toBe(false);
  });

  it("never matches a stored value of the wrong JSON type", () => {
    expect(matches({ active: "false" }, "active eq false")).toBe(false);
    expect(matches({ userName: 5 }, 'userName eq "5"')).toBe(false);
  });
});

describe("matchesResource: multi-valued and complex attributes", () => {
  it("matches when any element's value matches (emails.value eq)", () => {
    expect(matches(alex, 'emails.value eq "ALEX@HOME.EXAMPLE"')).toBe(true);
    expect(matches(alex, 'emails.value eq "other@x"')).toBe(false);
  });

  it("binds emails co to the value sub-attribute", () => {
    expect(matches(alex, 'emails co "@work."')).toBe(true);
  });

  it("reads ne on multi-valued attributes as: some element differs", () => {
    expect(matches(alex, 'emails.type ne "work"')).toBe(true);
    expect(matches({ emails: [{ type: "work" }] }, 'emails.type ne "work"')).toBe(false);
  });

  it("requires one element to satisfy the whole value filter", () => {
    expect(matches(alex, 'emails[type eq "work" and value ew "@work.example"]')).toBe(true);
    expect(matches(alex, 'emails[type eq "home" and primary eq true]')).toBe(false);
    // Across elements both tests hold, which a value filter must not confuse with one element.
    expect(matches(alex, 'emails.type eq "home" and emails.primary eq true')).toBe(true);
  });

  it("evaluates the emails[type eq \"work\"].value eq form", () => {
    expect(matches(alex, 'emails[type eq "work"].value eq "alex@work.example"')).toBe(true);
    expect(matches(alex, 'emails[type eq "work"].value eq "alex@home.example"')).toBe(false);
  });

  it("evaluates not inside a value filter per element", () => {
    expect(matches(alex, 'emails[not (type eq "work")]')).toBe(true);
    expect(matches({ emails: [{ type: "work", value: "a" }] }, 'emails[not (type eq "work")]')).toBe(false);
  });

  it("reads sub-attributes of a single-valued complex attribute", () => {
    expect(matches(alex, 'name.familyName eq "ng"')).toBe(true);
    expect(matches(alex, 'name.middleName pr')).toBe(false);
  });

  it("finds extension attributes under their URN key (ENT-34 manager)", () => {
    expect(matches(alex, `${Urn.EnterpriseUser}:employeeNumber eq "100232"`)).toBe(true);
    expect(matches(alex, `id eq "u-1" and ${Urn.EnterpriseUser}:manager eq "m-7"`)).toBe(true);
    expect(matches(alex, `${Urn.EnterpriseUser}:manager[value eq "m-7"]`)).toBe(true);
    expect(matches({ userName: "x" }, `${Urn.EnterpriseUser}:employeeNumber pr`)).toBe(false);
  });

  it("answers the §3.6 membership check on groups", () => {
    const group: JsonObject = { id: "g-1", displayName: "Finance EU", members: [{ value: "u-1", type: "User" }, { value: "u-2", type: "User" }] };
    expect(matches(group, 'id eq "g-1" and members eq "u-2"', groups)).toBe(true);
    expect(matches(group, 'id eq "g-1" and members eq "U-2"', groups)).toBe(false);
    expect(matches(group, 'members[value eq "u-1"]', groups)).toBe(true);
  });
});

describe("matchesResource: booleans, numbers and dates", () => {
  it("compares booleans, including string literals converted by the resolver", () => {
    expect(matches(alex, "active eq false")).toBe(true);
    expect(matches(alex, 'active eq "False"')).toBe(true);
    expect(matches(alex, "active ne false")).toBe(false);
    expect(matches(alex, 'emails[primary eq "true"]')).toBe(true);
  });

  it("compares dateTime chronologically, whatever the literal's zone", () => {
    expect(matches(alex, 'meta.lastModified gt "2026-03-01T00:00:00Z"')).toBe(true);
    expect(matches(alex, 'meta.lastModified gt "2026-03-02T09:00:00+02:00"')).toBe(true);
    expect(matches(alex, 'meta.created eq "2026-03-01T11:15:30+01:00"')).toBe(true);
    expect(matches(alex, 'meta.created lt "2026-03-01T10:15:30Z"')).toBe(false);
    expect(matches(alex, 'meta.created le "2026-03-01T10:15:30Z"')).toBe(true);
  });

  it("never matches a stored dateTime that does not parse", () => {
    expect(matches({ meta: { created: "soon" } }, 'meta.created lt "2030-01-01T00:00:00Z"')).toBe(false);
  });

  it("compares numbers numerically", () => {
    const count: ResolvedFilter = {
      kind: "compare",
      attr: { schema: Urn.User, extension: false, attribute: { ...users.coreAttribute("title")!, name: "count", type: "integer" } },
      op: "gt",
      value: 9,
    };
    expect(matchesResource({ count: 10 }, count)).toBe(true);
    expect(matchesResource({ count: 9 }, count)).toBe(false);
    expect(matchesResource({ count: "10" }, count)).toBe(false);
  });
});

describe("matchesElement", () => {
  it("evaluates an inner filter against one element's sub-attributes", () => {
    const valuePath = filter('emails[type eq "WORK" and primary eq true]');
    if (valuePath.kind !== "valuePath") throw new Error("expected a value path");
    expect(matchesElement({ value: "a@x", type: "work", primary: true }, valuePath.filter)).toBe(true);
    expect(matchesElement({ value: "a@x", type: "work" }, valuePath.filter)).toBe(false);
  });

  it("evaluates pr and eq null per element", () => {
    const displayed = filter('members[display pr]', groups);
    const undisplayed = filter('members[display eq null]', groups);
    if (displayed.kind !== "valuePath" || undisplayed.kind !== "valuePath") throw new Error("expected value paths");
    expect(matchesElement({ value: "u", display: "Ann" }, displayed.filter)).toBe(true);
    expect(matchesElement({ value: "u" }, displayed.filter)).toBe(false);
    expect(matchesElement({ value: "u" }, undisplayed.filter)).toBe(true);
  });
});

describe("isAssigned", () => {
  it("is false exactly for undefined, null, empty string, empty array and empty object", () => {
    expect([undefined, null, "", [], {}].map(isAssigned)).toEqual([false, false, false, false, false]);
    expect([0, false, "x", [1], { a: 1 }].map(isAssigned)).toEqual([true, true, true, true, true]);
  });
});
