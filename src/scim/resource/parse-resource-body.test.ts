import { describe, expect, it } from "vitest";
import { registry } from "../schema/registry.js";
import { Urn } from "../urns.js";
import { parseResourceBody, type BodyContext, type ParsedResource } from "./parse-resource-body.js";

const user = registry.forType("User");
const group = registry.forType("Group");
const create: BodyContext = { mode: "create" };

function parsed(result: ReturnType<typeof parseResourceBody>): ParsedResource {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.scimType}: ${result.error.detail}`);
  return result.value;
}

function failure(result: ReturnType<typeof parseResourceBody>) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe("parseResourceBody for Users", () => {
  it("parses Entra's create body, ignoring meta and keeping the enterprise extension (ENT-21)", () => {
    const body = {
      schemas: [Urn.User, Urn.EnterpriseUser],
      externalId: "alexng",
      userName: "alex.ng@contoso.example",
      active: true,
      displayName: "Alex Ng",
      emails: [{ primary: true, type: "work", value: "alex.ng@contoso.example" }],
      meta: { resourceType: "User" },
      name: { formatted: "Alex Ng", familyName: "Ng", givenName: "Alex" },
      roles: [],
      [Urn.EnterpriseUser]: { department: "Finance", employeeNumber: "100231" },
    };
    expect(parsed(parseResourceBody(user, body, create))).toEqual({
      attributes: {
        externalId: "alexng",
        userName: "alex.ng@contoso.example",
        active: true,
        displayName: "Alex Ng",
        emails: [{ primary: true, type: "work", value: "alex.ng@contoso.example" }],
        name: { formatted: "Alex Ng", familyName: "Ng", givenName: "Alex" },
        [Urn.EnterpriseUser]: { department: "Finance", employeeNumber: "100231" },
      },
    });
  });

  it("tolerates a schemas member inside a whole extension object", () => {
    const body = { schemas: [Urn.User, Urn.EnterpriseUser], userName: "a", [Urn.EnterpriseUser]: { schemas: [Urn.EnterpriseUser], employeeNumber: "7" } };
    expect(parsed(parseResourceBody(user, body, create)).attributes).toEqual({ userName: "a", [Urn.EnterpriseUser]: { employeeNumber: "7" } });
  });

  it("treats null attributes as unassigned and tolerates unknown URNs listed in schemas (ENT-21 old sample)", () => {
    const body = { schemas: [Urn.User, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:Usr"], userName: "a", addresses: null, title: null };
    expect(parsed(parseResourceBody(user, body, create)).attributes).toEqual({ userName: "a" });
  });

  it("takes Okta's password out of the attributes and ignores groups (OKT-12)", () => {
    const body = {
      schemas: [Urn.User],
      userName: "kim.lee@example.org",
      name: { givenName: "Kim", familyName: "Lee" },
      emails: [{ primary: true, value: "kim.lee@example.org", type: "work" }],
      displayName: "Kim Lee",
      locale: "en-US",
      externalId: "00u8k2abcXYZ",
      groups: [],
      password: "r4nd0m-Pw",
      active: true,
    };
    const result = parsed(parseResourceBody(user, body, create));
    expect(result.password).toBe("r4nd0m-Pw");
    expect(result.attributes).not.toHaveProperty("password");
    expect(result.attributes).not.toHaveProperty("groups");
    expect(result.attributes["locale"]).toBe("en-US");
  });

  it("coerces OneLogin's string booleans and ignores its id: null on create", () => {
    const result = parsed(parseResourceBody(user, { id: null, userName: "o@x.test", active: "True" }, create));
    expect(result.attributes).toEqual({ userName: "o@x.test", active: true });
  });

  it("resolves dotted, URN-qualified and differently cased keys to canonical names", () => {
    const body = {
      USERNAME: "a",
      "name.givenName": "Alex",
      "NAME.familyName": "Ng",
      [`${Urn.EnterpriseUser}:employeeNumber`]: "7",
      "urn:ietf:params:scim:schemas:core:2.0:User:nickName": "Lexi",
    };
    expect(parsed(parseResourceBody(user, body, create)).attributes).toEqual({
      userName: "a",
      name: { givenName: "Alex", familyName: "Ng" },
      nickName: "Lexi",
      [Urn.EnterpriseUser]: { employeeNumber: "7" },
    });
  });

  it("stores manager given as a bare id, as { value } and as a one-element list alike (ENT-34)", () => {
    for (const manager of ["m-1", { value: "m-1" }, [{ $ref: null, value: "m-1" }]]) {
      const result = parsed(parseResourceBody(user, { userName: "a", [Urn.EnterpriseUser]: { manager } }, create));
      expect(result.attributes[Urn.EnterpriseUser]).toEqual({ manager: { value: "m-1" } });
    }
  });

  it("returns invalidSyntax when the body is not an object", () => {
    for (const body of [null, [], "x", 3]) expect(failure(parseResourceBody(user, body, create)).scimType).toBe("invalidSyntax");
  });

  it("returns invalidSyntax when schemas is not an array of strings", () => {
    expect(failure(parseResourceBody(user, { schemas: Urn.User, userName: "a" }, create)).scimType).toBe("invalidSyntax");
  });

  it("returns invalidValue naming an unknown attribute or extension", () => {
    const unknown = failure(parseResourceBody(user, { userName: "a", shoeSize: 44 }, create));
    expect(unknown.scimType).toBe("invalidValue");
    expect(unknown.detail).toContain('"shoeSize"');
    const extension = failure(parseResourceBody(user, { userName: "a", "urn:example:ext:1.0:User": { x: 1 } }, create));
    expect(extension.scimType).toBe("invalidValue");
    expect(extension.detail).toContain("urn:example:ext:1.0:User");
    const inner = failure(parseResourceBody(user, { userName: "a", [Urn.EnterpriseUser]: { shoeSize: 1 } }, create));
    expect(inner.detail).toContain('"shoeSize"');
  });

  it("reads a top-level name only the enterprise extension defines as that extension's attribute (ENT-21 sample)", () => {
    const sample = parsed(parseResourceBody(user, { userName: "a", title: null, department: null, manager: null }, create));
    expect(sample.attributes).toEqual({ userName: "a" });
    const given = parsed(parseResourceBody(user, { userName: "a", Department: "Finance", [Urn.EnterpriseUser]: { costCenter: "7" } }, create));
    expect(given.attributes).toEqual({ userName: "a", [Urn.EnterpriseUser]: { department: "Finance", costCenter: "7" } });
    const twice = failure(parseResourceBody(user, { userName: "a", department: "x", [Urn.EnterpriseUser]: { department: "y" } }, create));
    expect(twice.detail).toContain("more than once");
    expect(failure(parseResourceBody(group, { displayName: "g", department: "x" }, create)).detail).toContain('"department"');
  });

  it("returns invalidValue when userName is missing or blank", () => {
    expect(failure(parseResourceBody(user, { displayName: "x" }, create)).detail).toBe("userName is required and must be a non-empty string.");
    expect(failure(parseResourceBody(user, { userName: "  " }, create)).scimType).toBe("invalidValue");
    expect(failure(parseResourceBody(user, { userName: null }, create)).scimType).toBe("invalidValue");
  });

  it("returns invalidValue when an attribute is given twice under differently cased keys", () => {
    expect(failure(parseResourceBody(user, { userName: "a", username: "b" }, create)).scimType).toBe("invalidValue");
  });

  it("returns invalidValue for a sub-attribute key of a multi-valued attribute", () => {
    expect(failure(parseResourceBody(user, { userName: "a", "emails.value": "x" }, create)).scimType).toBe("invalidValue");
  });

  it("ignores the readOnly id, meta and groups Okta echoes on PUT (OKT-14)", () => {
    const context: BodyContext = { mode: "replace", current: { id: "u-1", attributes: { userName: "a" } } };
    const body = { id: "u-1", userName: "b", meta: { resourceType: "User", version: 'W/"3"' }, groups: [{ value: "g" }] };
    expect(parsed(parseResourceBody(user, body, context)).attributes).toEqual({ userName: "b" });
  });

  it("returns mutability when a PUT body carries a different id", () => {
    const context: BodyContext = { mode: "replace", current: { id: "u-1", attributes: { userName: "a" } } };
    const error = failure(parseResourceBody(user, { id: "u-2", userName: "a" }, context));
    expect(error.scimType).toBe("mutability");
    expect(error.detail).toContain("id cannot be changed");
  });

  it("returns the error naming the element when a value has the wrong type", () => {
    const error = failure(parseResourceBody(user, { userName: "a", emails: [{ value: "a" }, { value: "b", primary: "yes" }] }, create));
    expect(error.detail).toBe('emails[1].primary must be a boolean, got "yes".');
  });
});

describe("parseResourceBody for Groups", () => {
  it("accepts Entra's ADSCIM schema URN and leaves members unasserted when absent (ENT-51)", () => {
    const body = {
      schemas: [Urn.Group, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
      externalId: "5b8e2a64",
      displayName: "Finance EU",
      meta: { resourceType: "Group" },
    };
    const result = parsed(parseResourceBody(group, body, create));
    expect(result).toEqual({ attributes: { externalId: "5b8e2a64", displayName: "Finance EU" } });
    expect(result).not.toHaveProperty("members");
  });

  it("asserts an empty member list for members: [] and members: null (OKT-21)", () => {
    expect(parsed(parseResourceBody(group, { displayName: "T", members: [] }, create)).members).toEqual([]);
    expect(parsed(parseResourceBody(group, { displayName: "T", members: null }, create)).members).toEqual([]);
  });

  it("keeps member value and canonical type, dropping display and $ref", () => {
    const body = { displayName: "T", members: [{ value: "u-1", display: "Kim", $ref: "https://x/Users/u-1", type: "user" }, { value: "g-2", type: "GROUP" }, { value: "u-1" }] };
    expect(parsed(parseResourceBody(group, body, create)).members).toEqual([{ value: "u-1", type: "User" }, { value: "g-2", type: "Group" }]);
  });

  it("returns invalidValue for a member without a string value or with an unknown type", () => {
    expect(failure(parseResourceBody(group, { displayName: "T", members: [{ display: "x" }] }, create)).detail).toContain("members[0] needs a non-empty string");
    expect(failure(parseResourceBody(group, { displayName: "T", members: [{ value: "u", type: "Device" }] }, create)).detail).toBe(
      'members[0].type must be "User" or "Group", got "Device".',
    );
  });

  it("returns invalidValue when displayName is missing", () => {
    expect(failure(parseResourceBody(group, { members: [] }, create)).detail).toBe("displayName is required and must be a non-empty string.");
  });
});

describe("parseResourceBody on pathological bodies", () => {
  it("returns invalidValue, without throwing, for nesting far deeper than the schema allows", () => {
    let deep: unknown = "x";
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    const error = failure(parseResourceBody(user, { userName: "a", name: { givenName: deep } }, create));
    expect(error.scimType).toBe("invalidValue");
    expect(error.detail).toContain("name.givenName");
  });
});
