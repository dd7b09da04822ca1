import { describe, expect, it } from "vitest";
import { matchesElement } from "../filter/evaluate-filter.js";
import type { JsonObject } from "../json.js";
import { registry } from "../schema/registry.js";
import { Urn } from "../urns.js";
import { applyPatch, type MemberChange } from "./apply-patch.js";

/** Entra ID PATCH traffic from COMPATIBILITY.md §1.4–1.6 and the validator (VAL-30), in both wire dialects. */

const user = registry.forType("User");
const group = registry.forType("Group");
const patchOp = [Urn.PatchOp];

const alex: JsonObject = {
  userName: "alex.ng@contoso.example",
  externalId: "alexng",
  active: true,
  displayName: "Alex Ng",
  name: { givenName: "Alex", familyName: "Ng" },
  emails: [{ value: "alex.ng@contoso.example", type: "work", primary: true }],
  [Urn.EnterpriseUser]: { department: "Finance", employeeNumber: "100231" },
};

function patchUser(attributes: JsonObject, body: unknown): JsonObject {
  const result = applyPatch(user, { id: "u-1", attributes }, body, { relations: new Set() });
  if (!result.ok) throw new Error(`expected ok, got ${result.error.scimType}: ${result.error.detail}`);
  return result.value.attributes;
}

/** Applies member changes to a member list the way the store does, for asserting end states. */
function membersAfter(members: readonly string[], changes: readonly MemberChange[]): string[] {
  let current = [...members];
  for (const change of changes) {
    if (change.kind === "add") current.push(...change.members.map((member) => member.value).filter((value) => !current.includes(value)));
    if (change.kind === "remove") current = current.filter((value) => !change.values.includes(value));
    if (change.kind === "removeWhere") current = current.filter((value) => !matchesElement({ value, type: "User" }, change.filter));
    if (change.kind === "clear") current = [];
  }
  return current;
}

function patchGroup(attributes: JsonObject, members: readonly string[], body: unknown): { attributes: JsonObject; members: string[] } {
  const result = applyPatch(group, { id: "g-1", attributes }, body, { relations: new Set(["members"]) });
  if (!result.ok) throw new Error(`expected ok, got ${result.error.scimType}: ${result.error.detail}`);
  return { attributes: result.value.attributes, members: membersAfter(members, result.value.memberChanges) };
}

describe("Entra ID user PATCH", () => {
  it.each(["Replace", "replace", "REPLACE"])("ENT-30: applies op %s", (op) => {
    expect(patchUser(alex, { schemas: patchOp, Operations: [{ op, path: "displayName", value: "A" }] })["displayName"]).toBe("A");
  });

  it("ENT-31: replaces userName by path", () => {
    const body = { schemas: patchOp, Operations: [{ op: "Replace", path: "userName", value: "a.ng@contoso.example" }] };
    expect(patchUser(alex, body)["userName"]).toBe("a.ng@contoso.example");
  });

  it("ENT-32: updates the work email in place and creates the work address", () => {
    const body = {
      schemas: patchOp,
      Operations: [
        { op: "Replace", path: 'emails[type eq "work"].value', value: "alex@new.example" },
        { op: "Replace", path: "name.familyName", value: "Ng-Smith" },
        { op: "Add", path: 'addresses[type eq "work"].formatted', value: "1 Main St, Oslo" },
      ],
    };
    const result = patchUser(alex, body);
    expect(result["emails"]).toEqual([{ value: "alex@new.example", type: "work", primary: true }]);
    expect(result["name"]).toEqual({ givenName: "Alex", familyName: "Ng-Smith" });
    expect(result["addresses"]).toEqual([{ type: "work", formatted: "1 Main St, Oslo" }]);
    expect(Object.keys(result).filter((key) => key !== Urn.EnterpriseUser).some((key) => key.includes("[") || key.includes("."))).toBe(false);
  });

  it("ENT-32: accepts the capitalised sub-attribute names of Microsoft's mapping table", () => {
    const body = { Operations: [{ op: "Add", path: 'addresses[type eq "other"].Formatted', value: "x" }, { op: "Add", path: 'emails[type eq "other"].Value', value: "o@x" }] };
    const result = patchUser(alex, body);
    expect(result["addresses"]).toEqual([{ type: "other", formatted: "x" }]);
    expect(result["emails"]).toEqual([...(alex["emails"] as JsonObject[]), { type: "other", value: "o@x" }]);
  });

  it("ENT-33: adds a previously empty single-valued attribute in both dialects", () => {
    for (const op of ["Add", "add"]) expect(patchUser(alex, { Operations: [{ op, path: "nickName", value: "Lexi" }] })["nickName"]).toBe("Lexi");
  });

  it("ENT-34: sets a plain extension attribute under the URN key, never as a top-level path key", () => {
    const body = { Operations: [{ op: "Replace", path: `${Urn.EnterpriseUser}:employeeNumber`, value: "100232" }] };
    const result = patchUser(alex, body);
    expect(result[Urn.EnterpriseUser]).toEqual({ department: "Finance", employeeNumber: "100232" });
    expect(result).not.toHaveProperty(`${Urn.EnterpriseUser}:employeeNumber`);
  });

  it.each([
    ["a bare string id", "7d1f-c2"],
    ["an object with value", { value: "7d1f-c2" }],
    ["a one-element list with a null $ref", [{ $ref: null, value: "7d1f-c2" }]],
  ])("ENT-34: stores manager given as %s as manager.value", (_shape, value) => {
    for (const path of [`${Urn.EnterpriseUser}:manager`, `${Urn.EnterpriseUser}:Manager`]) {
      const result = patchUser(alex, { Operations: [{ op: "add", path, value }] });
      expect((result[Urn.EnterpriseUser] as JsonObject)["manager"]).toEqual({ value: "7d1f-c2" });
    }
  });

  it("ENT-34: accepts the old documented form that names manager without its URN", () => {
    const body = { Operations: [{ op: "Add", path: "manager", value: [{ $ref: "https://app.example.test/scim/v2/Users/m-9", value: "m-9" }] }] };
    const manager = (patchUser(alex, body)[Urn.EnterpriseUser] as JsonObject)["manager"];
    expect(manager).toEqual({ value: "m-9", $ref: "https://app.example.test/scim/v2/Users/m-9" });
  });

  it("ENT-34: drops the old manager $ref when a later replace names a different manager by bare id", () => {
    const withRef = { ...alex, [Urn.EnterpriseUser]: { manager: { value: "m-9", $ref: "https://app.example.test/scim/v2/Users/m-9" } } };
    const result = patchUser(withRef, { Operations: [{ op: "Replace", path: `${Urn.EnterpriseUser}:manager`, value: "m-10" }] });
    expect(result[Urn.EnterpriseUser]).toEqual({ manager: { value: "m-10" } });
  });

  it("ENT-34 / VAL 9-11: adds, replaces and removes the manager", () => {
    const path = `${Urn.EnterpriseUser}:manager`;
    const added = patchUser(alex, { Operations: [{ op: "add", path, value: { value: "QZRTMNBVCXLK" } }] });
    const replaced = patchUser(added, { Operations: [{ op: "replace", path, value: { value: "NEWMANAGER" } }] });
    expect((replaced[Urn.EnterpriseUser] as JsonObject)["manager"]).toEqual({ value: "NEWMANAGER" });
    const removed = patchUser(replaced, { Operations: [{ op: "Remove", path }] });
    expect(removed[Urn.EnterpriseUser]).toEqual({ department: "Finance", employeeNumber: "100231" });
  });

  it("ENT-35: the path-less flag dialect and the per-path default dialect give the same user", () => {
    const flag = {
      schemas: patchOp,
      Operations: [
        { op: "replace", path: 'emails[type eq "work"].value', value: "alex@new.example" },
        {
          op: "replace",
          value: { displayName: "Alex Ng-Smith", "name.givenName": "Alex", "name.familyName": "Ng-Smith", [`${Urn.EnterpriseUser}:employeeNumber`]: "100232" },
        },
      ],
    };
    const noFlag = {
      schemas: patchOp,
      Operations: [
        { op: "Replace", path: 'emails[type eq "work"].value', value: "alex@new.example" },
        { op: "Replace", path: "displayName", value: "Alex Ng-Smith" },
        { op: "Replace", path: "name.givenName", value: "Alex" },
        { op: "Replace", path: "name.familyName", value: "Ng-Smith" },
        { op: "Replace", path: `${Urn.EnterpriseUser}:employeeNumber`, value: "100232" },
      ],
    };
    const expected = {
      ...alex,
      displayName: "Alex Ng-Smith",
      name: { givenName: "Alex", familyName: "Ng-Smith" },
      emails: [{ value: "alex@new.example", type: "work", primary: true }],
      [Urn.EnterpriseUser]: { department: "Finance", employeeNumber: "100232" },
    };
    expect(patchUser(alex, flag)).toEqual(expected);
    expect(patchUser(alex, noFlag)).toEqual(expected);
  });

  it.each(["False", "false", false])("ENT-36 / ENT-37: active %j is stored as the boolean false", (value) => {
    expect(patchUser(alex, { schemas: patchOp, Operations: [{ op: "Replace", path: "active", value }] })["active"]).toBe(false);
  });

  it("ENT-37: re-enables with True in either dialect", () => {
    const disabled = { ...alex, active: false };
    expect(patchUser(disabled, { Operations: [{ op: "Replace", path: "active", value: "True" }] })["active"]).toBe(true);
    expect(patchUser(disabled, { Operations: [{ op: "replace", path: "active", value: true }] })["active"]).toBe(true);
  });
});

describe("Microsoft SCIM Validator user PATCH (VAL-30)", () => {
  const plural = ["emails", "phoneNumbers", "ims", "photos", "addresses", "entitlements", "roles", "x509Certificates"];

  it.each(plural)("resolves [primary eq true] filters on %s, creating the primary element when absent", (attribute) => {
    const sub = attribute === "addresses" ? "formatted" : "value";
    const value = attribute === "x509Certificates" ? "TUlJQ2lUQ0NBZkdnQXdJQkFnSUJBREFOQmdrcWhraUc5dzBCQVFVRkFEQUE=" : "v-1";
    const created = patchUser(alex, { Operations: [{ op: "replace", path: `${attribute}[primary eq true].${sub}`, value }] });
    expect(created[attribute]).toEqual(attribute === "emails" ? [{ value: "v-1", type: "work", primary: true }] : [{ primary: true, [sub]: value }]);
    const updated = patchUser(created, { Operations: [{ op: "replace", path: `${attribute}[primary eq "True"].${sub}`, value: attribute === "x509Certificates" ? "AAAA" : "v-2" }] });
    expect((updated[attribute] as JsonObject[]).filter((element) => element["primary"] === true)).toHaveLength(1);
  });

  it("accepts string primary values and the path-less dotted form with lower-case ops", () => {
    const body = {
      schemas: patchOp,
      Operations: [
        { op: "replace", path: 'roles[primary eq "True"].display', value: "Admin" },
        { op: "add", path: "phoneNumbers", value: [{ type: "work", value: "+1 555", primary: "true" }, { type: "mobile", value: "+1 556" }] },
        { op: "replace", value: { "name.givenName": "Al", preferredLanguage: "xq-ZZ", locale: "qq", timezone: "Not/AZone", profileUrl: "random-string" } },
      ],
    };
    const result = patchUser(alex, body);
    expect(result["roles"]).toEqual([{ primary: true, display: "Admin" }]);
    expect(result["phoneNumbers"]).toEqual([{ type: "work", value: "+1 555", primary: true }, { type: "mobile", value: "+1 556" }]);
    expect(result["timezone"]).toBe("Not/AZone");
    expect(result["name"]).toEqual({ givenName: "Al", familyName: "Ng" });
  });

  it("VAL 7: updates userName with a path-less replace", () => {
    expect(patchUser(alex, { Operations: [{ op: "replace", value: { userName: "y@contoso.example" } }] })["userName"]).toBe("y@contoso.example");
  });
});

describe("Entra ID group PATCH", () => {
  const finance: JsonObject = { displayName: "Finance EU", externalId: "5b8e2a64" };

  it("ENT-53: renames in both dialects and in the validator's path-less form", () => {
    const bodies = [
      { Operations: [{ op: "Replace", path: "displayName", value: "Finance Europe" }] },
      { Operations: [{ op: "replace", path: "displayName", value: "Finance Europe" }] },
      { Operations: [{ op: "replace", value: { displayName: "Finance Europe" } }] },
    ];
    for (const body of bodies) expect(patchGroup(finance, ["u-1"], body)).toEqual({ attributes: { ...finance, displayName: "Finance Europe" }, members: ["u-1"] });
    expect(patchGroup(finance, [], { Operations: [{ op: "replace", value: { externalId: "new-ext" } }] }).attributes["externalId"]).toBe("new-ext");
  });

  it("ENT-54: adds several members in one operation, $ref null allowed, and re-adding is a no-op", () => {
    const body = { schemas: patchOp, Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: "u-7c1e" }, { $ref: null, value: "u-91fa" }] }] };
    expect(patchGroup(finance, ["u-7c1e"], body).members).toEqual(["u-7c1e", "u-91fa"]);
  });

  it("ENT-55: removes one member by value list (default dialect) and by filter (flag dialect) with the same result", () => {
    const noFlag = { schemas: patchOp, Operations: [{ op: "Remove", path: "members", value: [{ value: "B" }] }] };
    const flag = { schemas: patchOp, Operations: [{ op: "remove", path: 'members[value eq "B"]' }] };
    expect(patchGroup(finance, ["A", "B", "C"], noFlag)).toEqual({ attributes: finance, members: ["A", "C"] });
    expect(patchGroup(finance, ["A", "B", "C"], flag)).toEqual({ attributes: finance, members: ["A", "C"] });
    const thenC = patchGroup(finance, ["A", "C"], { Operations: [{ op: "remove", path: 'members[value eq "C"]' }] });
    expect(thenC.members).toEqual(["A"]);
  });

  it("ENT-55: removes all members only when remove carries no value", () => {
    expect(patchGroup(finance, ["A", "B"], { Operations: [{ op: "Remove", path: "members" }] }).members).toEqual([]);
    expect(patchGroup(finance, ["A", "B"], { Operations: [{ op: "Remove", path: "members", value: [] }] }).members).toEqual([]);
  });

  it("ENT-55: reports the removal as a remove of ids, never as clear", () => {
    const result = applyPatch(group, { id: "g-1", attributes: finance }, { Operations: [{ op: "Remove", path: "members", value: [{ value: "B" }, { value: "D" }] }] }, { relations: new Set(["members"]) });
    expect(result.ok && result.value.memberChanges).toEqual([{ kind: "remove", values: ["B", "D"] }]);
  });

  it("validator preview: adds then removes a member in one request", () => {
    const body = { Operations: [{ op: "add", path: "members", value: [{ value: "X" }] }, { op: "remove", path: "members", value: [{ value: "X" }] }] };
    expect(patchGroup(finance, ["A"], body).members).toEqual(["A"]);
  });
});
