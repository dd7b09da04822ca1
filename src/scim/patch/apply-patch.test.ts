import { describe, expect, it } from "vitest";
import type { JsonObject } from "../json.js";
import { registry } from "../schema/registry.js";
import { Urn } from "../urns.js";
import { applyPatch, type PatchOutcome } from "./apply-patch.js";

const user = registry.forType("User");
const group = registry.forType("Group");
const noRelations = { relations: new Set<string>() };
const groupRelations = { relations: new Set(["members"]) };

const alex: JsonObject = {
  userName: "alex@x.test",
  name: { givenName: "Alex", familyName: "Ng", formatted: "Alex Ng" },
  emails: [
    { value: "alex@x.test", type: "work", primary: true },
    { value: "alex@home.test", type: "home" },
  ],
};

function patchUser(attributes: JsonObject, ...operations: unknown[]): PatchOutcome {
  const result = applyPatch(user, { id: "u-1", attributes }, { schemas: [Urn.PatchOp], Operations: operations }, noRelations);
  if (!result.ok) throw new Error(`expected ok, got ${result.error.scimType}: ${result.error.detail}`);
  return result.value;
}

function userError(attributes: JsonObject, ...operations: unknown[]) {
  const result = applyPatch(user, { id: "u-1", attributes }, { Operations: operations }, noRelations);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value.attributes)}`);
  return result.error;
}

describe("applyPatch add", () => {
  it("sets a single-valued attribute that had no value (ENT-33)", () => {
    expect(patchUser(alex, { op: "Add", path: "nickName", value: "Lexi" }).attributes["nickName"]).toBe("Lexi");
  });

  it("replaces the value of a single-valued attribute that has one", () => {
    expect(patchUser({ ...alex, title: "A" }, { op: "add", path: "title", value: "B" }).attributes["title"]).toBe("B");
  });

  it("merges sub-attributes into a complex attribute", () => {
    const outcome = patchUser(alex, { op: "add", path: "name", value: { middleName: "J", givenName: "Al" } });
    expect(outcome.attributes["name"]).toEqual({ givenName: "Al", familyName: "Ng", formatted: "Alex Ng", middleName: "J" });
  });

  it("appends to a multi-valued attribute without duplicating an identical value", () => {
    const outcome = patchUser(alex, {
      op: "add",
      path: "emails",
      value: [{ value: "alex@home.test", type: "home" }, { value: "alex@other.test", type: "other" }],
    });
    expect(outcome.attributes["emails"]).toEqual([...(alex["emails"] as JsonObject[]), { value: "alex@other.test", type: "other" }]);
  });

  it("clears primary on the other values when an added value is primary (RFC 7644 §3.5.2)", () => {
    const outcome = patchUser(alex, { op: "add", path: "emails", value: [{ value: "new@x.test", type: "other", primary: true }] });
    expect(outcome.attributes["emails"]).toEqual([
      { value: "alex@x.test", type: "work", primary: false },
      { value: "alex@home.test", type: "home" },
      { value: "new@x.test", type: "other", primary: true },
    ]);
  });

  it("is not a change when the value is already there", () => {
    const outcome = patchUser(alex, { op: "add", path: "emails", value: { value: "alex@home.test", type: "home" } });
    expect(outcome.changed).toBe(false);
    expect(outcome.attributes).toEqual(alex);
  });
});

describe("applyPatch replace", () => {
  it("replaces all values of a multi-valued attribute", () => {
    const outcome = patchUser(alex, { op: "replace", path: "emails", value: [{ value: "only@x.test" }] });
    expect(outcome.attributes["emails"]).toEqual([{ value: "only@x.test" }]);
  });

  it("merges a complex value, leaving unnamed sub-attributes unchanged (RFC 7644 §3.5.2.3)", () => {
    const outcome = patchUser(alex, { op: "replace", path: "name", value: { givenName: "Al" } });
    expect(outcome.attributes["name"]).toEqual({ givenName: "Al", familyName: "Ng", formatted: "Alex Ng" });
  });

  it("treats replace of a missing attribute as add", () => {
    expect(patchUser(alex, { op: "replace", path: "title", value: "VP" }).attributes["title"]).toBe("VP");
    expect(patchUser({ userName: "a" }, { op: "replace", path: "name.givenName", value: "A" }).attributes["name"]).toEqual({ givenName: "A" });
  });

  it("unassigns an attribute replaced with null", () => {
    expect(patchUser({ ...alex, title: "VP" }, { op: "replace", path: "title", value: null }).attributes).not.toHaveProperty("title");
  });

  it("returns invalidValue when add or replace has no value", () => {
    expect(userError(alex, { op: "replace", path: "title" }).scimType).toBe("invalidValue");
  });
});

describe("applyPatch value filters", () => {
  it("updates the sub-attribute of the selected element in place", () => {
    const outcome = patchUser(alex, { op: "replace", path: 'emails[type eq "work"].value', value: "alex@new.test" });
    expect(outcome.attributes["emails"]).toEqual([
      { value: "alex@new.test", type: "work", primary: true },
      { value: "alex@home.test", type: "home" },
    ]);
  });

  it("creates the element from the filter's eq terms when nothing matches (ENT-32)", () => {
    const outcome = patchUser(alex, { op: "Add", path: 'addresses[type eq "work"].formatted', value: "1 Main St, Oslo" });
    expect(outcome.attributes["addresses"]).toEqual([{ type: "work", formatted: "1 Main St, Oslo" }]);
    const again = patchUser(outcome.attributes, { op: "Add", path: 'addresses[type eq "work"].locality', value: "Oslo" });
    expect(again.attributes["addresses"]).toEqual([{ type: "work", formatted: "1 Main St, Oslo", locality: "Oslo" }]);
  });

  it("creates the element with every term of an and-conjunction", () => {
    const outcome = patchUser({ userName: "a" }, { op: "replace", path: 'phoneNumbers[type eq "work" and display eq "Desk"].value', value: "+47 1" });
    expect(outcome.attributes["phoneNumbers"]).toEqual([{ type: "work", display: "Desk", value: "+47 1" }]);
  });

  it("returns noTarget when nothing matches and the filter cannot describe a new element", () => {
    const error = userError(alex, { op: "replace", path: 'emails[value co "nobody"].type', value: "other" });
    expect(error.scimType).toBe("noTarget");
    expect(error.detail).toMatch(/^Operations\[0\]: /);
    expect(userError(alex, { op: "add", path: 'emails[type eq "x" or type eq "y"].display', value: "x" }).scimType).toBe("noTarget");
    expect(userError(alex, { op: "add", path: 'emails[type eq "x" and type eq "y"].display', value: "x" }).scimType).toBe("noTarget");
  });

  it("replaces a whole selected element", () => {
    const outcome = patchUser(alex, { op: "replace", path: 'emails[type eq "home"]', value: { value: "h@x.test", type: "home" } });
    expect(outcome.attributes["emails"]).toEqual([
      { value: "alex@x.test", type: "work", primary: true },
      { value: "h@x.test", type: "home" },
    ]);
  });

  it("matches filter values per caseExact and sub-attribute names case-insensitively", () => {
    const outcome = patchUser(alex, { op: "replace", path: 'EMAILS[TYPE eq "WORK"].Value', value: "w@x.test" });
    expect((outcome.attributes["emails"] as JsonObject[])[0]).toEqual({ value: "w@x.test", type: "work", primary: true });
  });

  it("moves primary to the element selected by [primary eq true] edits and by setting primary on another", () => {
    const outcome = patchUser(alex, { op: "replace", path: 'emails[type eq "home"].primary', value: "True" });
    expect(outcome.attributes["emails"]).toEqual([
      { value: "alex@x.test", type: "work", primary: false },
      { value: "alex@home.test", type: "home", primary: true },
    ]);
  });

  it("returns invalidValue when one operation makes two elements primary", () => {
    const twoWork = { userName: "a", emails: [{ value: "a", type: "work" }, { value: "b", type: "work" }] };
    expect(userError(twoWork, { op: "replace", path: 'emails[type eq "work"].primary', value: true }).scimType).toBe("invalidValue");
  });

  it("removes the selected elements, and is a no-op when nothing matches", () => {
    expect(patchUser(alex, { op: "remove", path: 'emails[type eq "home"]' }).attributes["emails"]).toEqual([{ value: "alex@x.test", type: "work", primary: true }]);
    const none = patchUser(alex, { op: "remove", path: 'emails[type eq "other"]' });
    expect(none.changed).toBe(false);
  });

  it("removes a sub-attribute of the selected elements and drops elements left empty", () => {
    const outcome = patchUser({ userName: "a", emails: [{ value: "a", type: "work" }, { type: "home" }] }, { op: "remove", path: "emails.type" });
    expect(outcome.attributes["emails"]).toEqual([{ value: "a" }]);
  });

  it("returns invalidFilter for a bad filter inside a path and invalidPath for an unknown sub-attribute", () => {
    expect(userError(alex, { op: "replace", path: 'emails[colour eq "red"].value', value: "x" }).scimType).toBe("invalidFilter");
    expect(userError(alex, { op: "replace", path: 'emails[type eq "work"].colour', value: "x" }).scimType).toBe("invalidPath");
    expect(userError(alex, { op: "replace", path: 'name[givenName eq "Alex"].familyName', value: "x" }).scimType).toBe("invalidPath");
  });
});

describe("applyPatch remove", () => {
  it("returns noTarget when remove has no path (RFC 7644 §3.5.2.2)", () => {
    const error = userError(alex, { op: "remove", value: { title: "x" } });
    expect(error.scimType).toBe("noTarget");
  });

  it("removes a single-valued attribute, a sub-attribute, and all values of a multi-valued one", () => {
    expect(patchUser({ ...alex, title: "x" }, { op: "remove", path: "title" }).attributes).not.toHaveProperty("title");
    expect(patchUser(alex, { op: "remove", path: "name.formatted" }).attributes["name"]).toEqual({ givenName: "Alex", familyName: "Ng" });
    expect(patchUser(alex, { op: "remove", path: "emails" }).attributes).not.toHaveProperty("emails");
    expect(patchUser({ userName: "a", name: { givenName: "A" } }, { op: "remove", path: "name.givenName" }).attributes).toEqual({ userName: "a" });
  });

  it("removes only the listed values when remove on a multi-valued attribute carries a value list (ENT-55, generally)", () => {
    const outcome = patchUser(alex, { op: "remove", path: "emails", value: [{ value: "ALEX@home.test" }] });
    expect(outcome.attributes["emails"]).toEqual([{ value: "alex@x.test", type: "work", primary: true }]);
  });

  it("returns mutability when a required attribute is removed (RFC 7644 §3.5.2.2)", () => {
    const error = userError(alex, { op: "remove", path: "userName" });
    expect(error.scimType).toBe("mutability");
    expect(userError(alex, { op: "replace", path: "userName", value: null }).scimType).toBe("mutability");
  });

  it("returns invalidValue when a required string is replaced with a blank one", () => {
    expect(userError(alex, { op: "replace", path: "userName", value: " " }).scimType).toBe("invalidValue");
  });
});

describe("applyPatch mutability", () => {
  it("ignores an id equal to the current id and rejects a different one", () => {
    expect(patchUser(alex, { op: "replace", path: "id", value: "u-1" }).changed).toBe(false);
    expect(userError(alex, { op: "replace", value: { id: "u-2" } }).scimType).toBe("mutability");
    expect(userError(alex, { op: "remove", path: "id" }).scimType).toBe("mutability");
  });

  it("returns mutability for an explicit path to a readOnly attribute, and ignores readOnly keys in path-less values", () => {
    expect(userError(alex, { op: "replace", path: "meta.lastModified", value: "2026-01-01T00:00:00Z" }).scimType).toBe("mutability");
    expect(userError(alex, { op: "add", path: "groups", value: [{ value: "g" }] }).scimType).toBe("mutability");
    expect(userError(alex, { op: "add", path: `${Urn.EnterpriseUser}:manager.displayName`, value: "Boss" }).scimType).toBe("mutability");
    const outcome = patchUser(alex, { op: "replace", value: { meta: { version: "x" }, groups: [], schemas: [Urn.User], title: "VP" } });
    expect(outcome.attributes).toEqual({ ...alex, title: "VP" });
  });

  it("returns the password separately and never stores it", () => {
    const outcome = patchUser(alex, { op: "replace", value: { password: "n3w-Pw" } });
    expect(outcome.password).toBe("n3w-Pw");
    expect(outcome.attributes).not.toHaveProperty("password");
    expect(outcome.changed).toBe(false);
    expect(patchUser(alex, { op: "replace", path: "password", value: "p2" }).password).toBe("p2");
    expect(userError(alex, { op: "remove", path: "password" }).scimType).toBe("mutability");
  });

  it("returns invalidPath naming an unknown attribute", () => {
    const error = userError(alex, { op: "replace", path: "shoeSize", value: 44 });
    expect(error.scimType).toBe("invalidPath");
    expect(error.detail).toContain("shoeSize");
    expect(userError(alex, { op: "replace", value: { shoeSize: 44 } }).scimType).toBe("invalidPath");
  });
});

describe("applyPatch atomicity (RFC-06)", () => {
  it("applies nothing when the second operation is invalid", () => {
    const before = structuredClone(alex);
    const result = applyPatch(
      user,
      { id: "u-1", attributes: alex },
      { Operations: [{ op: "replace", path: "displayName", value: "Changed" }, { op: "replace", path: "active", value: "yes" }] },
      noRelations,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.scimType).toBe("invalidValue");
      expect(result.error.detail).toBe('Operations[1]: active must be a boolean, got "yes".');
    }
    expect(alex).toEqual(before);
  });

  it("never mutates the current document, even on success", () => {
    const before = structuredClone(alex);
    patchUser(alex, { op: "remove", path: "emails" }, { op: "add", path: "name.givenName", value: "X" });
    expect(alex).toEqual(before);
  });

  it("applies operations in order", () => {
    const outcome = patchUser(alex, { op: "add", path: "title", value: "A" }, { op: "remove", path: "title" }, { op: "add", path: "nickName", value: "N" });
    expect(outcome.attributes).toEqual({ ...alex, nickName: "N" });
  });
});

describe("applyPatch whole extensions", () => {
  it("applies an extension object key by key and removes the whole extension by its URN", () => {
    const added = patchUser(alex, { op: "add", path: Urn.EnterpriseUser, value: { department: "Finance", Manager: "m-1" } });
    expect(added.attributes[Urn.EnterpriseUser]).toEqual({ department: "Finance", manager: { value: "m-1" } });
    expect(patchUser(added.attributes, { op: "remove", path: Urn.EnterpriseUser }).attributes).toEqual(alex);
  });

  it("returns invalidPath for an unknown extension", () => {
    expect(userError(alex, { op: "add", path: "urn:example:ext:1.0:User:x", value: "1" }).scimType).toBe("invalidPath");
  });

  it("accepts a schemas member inside a whole extension's add or replace value and applies the rest", () => {
    const value = { schemas: [Urn.EnterpriseUser], employeeNumber: "7" };
    for (const op of ["add", "replace", "Add", "Replace"]) {
      expect(patchUser(alex, { op, path: Urn.EnterpriseUser, value }).attributes[Urn.EnterpriseUser]).toEqual({ employeeNumber: "7" });
    }
    const pathless = patchUser(alex, { op: "add", value: { schemas: [Urn.User, Urn.EnterpriseUser], [Urn.EnterpriseUser]: value } });
    expect(pathless.attributes[Urn.EnterpriseUser]).toEqual({ employeeNumber: "7" });
  });
});

describe("applyPatch on groups", () => {
  it("keeps members out of the attributes and reports them as member changes", () => {
    const result = applyPatch(group, { id: "g-1", attributes: { displayName: "Sales" } }, { Operations: [{ op: "add", path: "members", value: [{ value: "u-1" }] }] }, groupRelations);
    expect(result.ok && result.value).toEqual({ attributes: { displayName: "Sales" }, memberChanges: [{ kind: "add", members: [{ value: "u-1" }] }], changed: false });
  });

  it("returns mutability when removing the required displayName", () => {
    const result = applyPatch(group, { id: "g-1", attributes: { displayName: "Sales" } }, { Operations: [{ op: "remove", path: "displayName" }] }, groupRelations);
    expect(!result.ok && result.error.scimType).toBe("mutability");
  });
});
