import { describe, expect, it } from "vitest";
import type { JsonObject } from "../json.js";
import { registry } from "../schema/registry.js";
import { Urn } from "../urns.js";
import { parseProjection, projectResource, wantsAttribute, type Projection } from "./projection.js";

const user = registry.forType("User");
const group = registry.forType("Group");

const fullUser: JsonObject = {
  schemas: [Urn.User, Urn.EnterpriseUser],
  id: "u-1",
  externalId: "ext-1",
  meta: { resourceType: "User", created: "2026-01-01T00:00:00.000Z", lastModified: "2026-01-02T00:00:00.000Z", version: 'W/"2"' },
  userName: "alex@x.test",
  name: { givenName: "Alex", familyName: "Ng" },
  active: true,
  emails: [
    { value: "alex@x.test", type: "work", primary: true },
    { value: "alex@home.test", type: "home" },
  ],
  groups: [{ value: "g-1", display: "Sales" }],
  [Urn.EnterpriseUser]: { employeeNumber: "7", manager: { value: "m-1" } },
};

const fullGroup: JsonObject = {
  schemas: [Urn.Group],
  id: "g-1",
  displayName: "Sales",
  members: [{ value: "u-1", type: "User", display: "Alex" }],
  meta: { resourceType: "Group" },
};

function projection(schema = user, params: { attributes?: string; excludedAttributes?: string }): Projection {
  const result = parseProjection(schema, params);
  if (!result.ok) throw new Error(result.error.detail);
  return result.value;
}

describe("parseProjection", () => {
  it("returns the default projection when neither parameter is given or both are blank", () => {
    expect(projection(user, {})).toEqual({ kind: "default" });
    expect(projection(user, { attributes: " ", excludedAttributes: "" })).toEqual({ kind: "default" });
  });

  it("binds names case-insensitively to canonical names, tolerating whitespace", () => {
    expect(projection(user, { attributes: "USERNAME, name.GIVENNAME ,emails.value" })).toEqual({
      kind: "include",
      entries: [
        { schema: Urn.User, attribute: "userName" },
        { schema: Urn.User, attribute: "name", subAttribute: "givenName" },
        { schema: Urn.User, attribute: "emails", subAttribute: "value" },
      ],
    });
  });

  it("binds URN-qualified names and whole extension URNs", () => {
    expect(projection(user, { attributes: `${Urn.EnterpriseUser}:manager.value,${Urn.EnterpriseUser}` }).kind).toBe("include");
    expect(projection(user, { excludedAttributes: Urn.EnterpriseUser })).toEqual({ kind: "exclude", entries: [{ schema: Urn.EnterpriseUser }] });
  });

  it("uses attributes and ignores excludedAttributes when both are given (RFC 7644 §3.9)", () => {
    expect(projection(user, { attributes: "userName", excludedAttributes: "emails" })).toEqual({ kind: "include", entries: [{ schema: Urn.User, attribute: "userName" }] });
  });

  it("returns invalidValue naming an unknown attribute", () => {
    const result = parseProjection(user, { attributes: "userName,shoeSize" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.scimType).toBe("invalidValue");
    expect(result.error.detail).toContain('"shoeSize"');
  });

  it("returns the parser's error for a malformed list", () => {
    const result = parseProjection(user, { attributes: "userName,,emails" });
    expect(result.ok).toBe(false);
  });
});

describe("projectResource", () => {
  it("returns every default attribute and never password by default", () => {
    const withPassword = { ...fullUser, password: "secret" };
    const projected = projectResource(user, withPassword, { kind: "default" });
    expect(projected).toEqual(fullUser);
  });

  it("returns only the named attributes plus id and schemas", () => {
    expect(projectResource(user, fullUser, projection(user, { attributes: "userName" }))).toEqual({ schemas: [Urn.User], id: "u-1", userName: "alex@x.test" });
  });

  it("keeps the parent with only the selected sub-attributes, also inside multi-valued elements", () => {
    expect(projectResource(user, fullUser, projection(user, { attributes: "name.givenName,emails.type" }))).toEqual({
      schemas: [Urn.User],
      id: "u-1",
      name: { givenName: "Alex" },
      emails: [{ type: "work" }, { type: "home" }],
    });
  });

  it("keeps an extension and its URN in schemas only when extension data is selected", () => {
    expect(projectResource(user, fullUser, projection(user, { attributes: `${Urn.EnterpriseUser}:manager` }))).toEqual({
      schemas: [Urn.User, Urn.EnterpriseUser],
      id: "u-1",
      [Urn.EnterpriseUser]: { manager: { value: "m-1" } },
    });
    const without = projectResource(user, fullUser, projection(user, { excludedAttributes: Urn.EnterpriseUser }));
    expect(without["schemas"]).toEqual([Urn.User]);
    expect(without).not.toHaveProperty(Urn.EnterpriseUser);
  });

  it("drops members entirely for excludedAttributes=members (ENT-50, RFC-10)", () => {
    const projected = projectResource(group, fullGroup, projection(group, { excludedAttributes: "members" }));
    expect(projected).not.toHaveProperty("members");
    expect(projected).toEqual({ schemas: [Urn.Group], id: "g-1", displayName: "Sales", meta: { resourceType: "Group" } });
  });

  it("keeps an empty members list the presenter shows for an empty group (ENT-51)", () => {
    expect(projectResource(group, { ...fullGroup, members: [] }, { kind: "default" })["members"]).toEqual([]);
  });

  it("never excludes id", () => {
    expect(projectResource(group, fullGroup, projection(group, { excludedAttributes: "id,displayName,meta,members" }))).toEqual({ schemas: [Urn.Group], id: "g-1" });
  });

  it("excludes single sub-attributes and drops a parent left empty", () => {
    const projected = projectResource(user, fullUser, projection(user, { excludedAttributes: "emails.value,emails.type,emails.primary,name.givenName" }));
    expect(projected["name"]).toEqual({ familyName: "Ng" });
    expect(projected).not.toHaveProperty("emails");
  });

  it("returns password never, even when named in attributes", () => {
    const projected = projectResource(user, { ...fullUser, password: "secret" }, projection(user, { attributes: "password,userName" }));
    expect(projected).toEqual({ schemas: [Urn.User], id: "u-1", userName: "alex@x.test" });
  });

  it("selects meta sub-attributes", () => {
    expect(projectResource(user, fullUser, projection(user, { attributes: "meta.version" }))).toEqual({ schemas: [Urn.User], id: "u-1", meta: { version: 'W/"2"' } });
  });
});

describe("wantsAttribute", () => {
  it("tells whether members or groups will be returned", () => {
    expect(wantsAttribute(group, { kind: "default" }, "members")).toBe(true);
    expect(wantsAttribute(group, projection(group, { excludedAttributes: "members" }), "members")).toBe(false);
    expect(wantsAttribute(group, projection(group, { excludedAttributes: "members.display" }), "members")).toBe(true);
    expect(wantsAttribute(group, projection(group, { attributes: "displayName" }), "members")).toBe(false);
    expect(wantsAttribute(group, projection(group, { attributes: "members.value" }), "members")).toBe(true);
    expect(wantsAttribute(user, projection(user, { attributes: "userName" }), "groups")).toBe(false);
    expect(wantsAttribute(user, projection(user, { attributes: Urn.User }), "groups")).toBe(true);
    expect(wantsAttribute(user, { kind: "default" }, "password")).toBe(false);
    expect(wantsAttribute(user, projection(user, { excludedAttributes: "id" }), "id")).toBe(true);
  });
});
