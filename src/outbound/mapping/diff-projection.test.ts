import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../scim/json.js";
import { Urn } from "../../scim/urns.js";
import { defaultUserMappings } from "./default-mappings.js";
import { diffProjection } from "./diff-projection.js";
import { compiled } from "./testing.js";

const defaults = compiled("User", defaultUserMappings);
const ext = Urn.EnterpriseUser;
const base: JsonObject = {
  schemas: [Urn.User, ext],
  userName: "alex@example.com",
  title: "Engineer",
  name: { givenName: "Alex", middleName: "J", familyName: "Ng" },
  emails: [
    { value: "alex@example.com", type: "work", primary: true },
    { value: "a@home.example", type: "home" },
  ],
  [ext]: { department: "Platform", manager: { value: "t-1" } },
};

describe("diffProjection", () => {
  it("sends nothing when nothing changed, whatever the order of keys and of multi-valued values", () => {
    const reordered = { [ext]: { manager: { value: "t-1" }, department: "Platform" }, emails: [...(base["emails"] as JsonObject[])].reverse(), name: { familyName: "Ng", middleName: "J", givenName: "Alex" }, title: "Engineer", userName: "alex@example.com", schemas: [Urn.User, ext] };
    expect(diffProjection(defaults, base, reordered)).toMatchObject({ operations: [], modified: [] });
  });

  it("replaces changed values, removes cleared ones and says what changed", () => {
    const next = {
      schemas: [Urn.User, ext],
      userName: "alex.ng@example.com",
      name: { givenName: "Alex", familyName: "Ng-Smith" },
      emails: [{ value: "alex@example.com", type: "work", primary: true }],
      active: false,
      [ext]: { manager: { value: "t-2" } },
    };
    const diff = diffProjection(defaults, base, next);
    expect(diff.operations).toEqual([
      { op: "replace", path: "userName", value: "alex.ng@example.com" },
      { op: "remove", path: "name.middleName" },
      { op: "replace", path: "name", value: { givenName: "Alex", familyName: "Ng-Smith" } },
      { op: "remove", path: "title" },
      { op: "replace", path: "active", value: false },
      { op: "replace", path: "emails", value: [{ value: "alex@example.com", type: "work", primary: true }] },
      { op: "remove", path: `${ext}:department` },
      { op: "replace", path: `${ext}:manager`, value: { value: "t-2" } },
    ]);
    expect(diff.modified).toEqual([
      { path: "userName", oldValue: "alex@example.com", newValue: "alex.ng@example.com" },
      { path: "name.middleName", oldValue: "J", newValue: null },
      { path: "name.familyName", oldValue: "Ng", newValue: "Ng-Smith" },
      { path: "title", oldValue: "Engineer", newValue: null },
      { path: "active", oldValue: null, newValue: false },
      { path: "emails", oldValue: base["emails"], newValue: next.emails },
      { path: `${ext}:department`, oldValue: "Platform", newValue: null },
      { path: `${ext}:manager.value`, oldValue: "t-1", newValue: "t-2" },
    ]);
    expect(diff.document).toEqual(next);
  });

  it("removes a whole extension's attributes and drops its schema URN", () => {
    const next: JsonObject = { ...base, schemas: [Urn.User] };
    delete next[ext];
    const diff = diffProjection(defaults, base, next);
    expect(diff.operations).toEqual([
      { op: "remove", path: `${ext}:department` },
      { op: "remove", path: `${ext}:manager` },
    ]);
    expect(diff.document.schemas).toEqual([Urn.User]);
  });

  it("never changes what create-only mappings wrote", () => {
    const mappings = compiled("User", [
      ...defaultUserMappings.filter((mapping) => !["title", "externalId", "emails"].includes(mapping.target)),
      { target: "title", source: "title", applyOn: "create" },
      { target: "externalId", expression: "id", applyOn: "create" },
      { target: "name.middleName", source: "name.middleName", applyOn: "create" },
      { target: "emails", source: "emails" },
      { target: 'emails[type eq "work"].value', source: 'emails[type eq "work"].value', applyOn: "create" },
    ]);
    const previous = { ...base, externalId: "u-1" };
    const next: JsonObject = {
      schemas: [Urn.User, ext],
      userName: "alex@example.com",
      name: { givenName: "Alex", familyName: "Ng" },
      emails: [{ value: "new@home.example", type: "home", primary: true }, { value: "changed@example.com", type: "work" }],
      [ext]: base[ext] as JsonObject,
    };
    const diff = diffProjection(mappings, previous, next);
    expect(diff.operations).toEqual([
      {
        op: "replace",
        path: "emails",
        value: [
          { value: "new@home.example", type: "home", primary: true },
          { value: "alex@example.com", type: "work", primary: false },
        ],
      },
    ]);
    expect(diff.document).toMatchObject({ title: "Engineer", externalId: "u-1", name: { givenName: "Alex", middleName: "J", familyName: "Ng" } });
    // A create-only value the target never got stays absent.
    expect(diffProjection(mappings, { schemas: [Urn.User], userName: "x" }, { schemas: [Urn.User], userName: "x", title: "T" }).operations).toEqual([]);
  });

  it("sends a newly assigned complex attribute whole", () => {
    const diff = diffProjection(defaults, { schemas: [Urn.User], userName: "a" }, { schemas: [Urn.User, ext], userName: "a", name: { givenName: "A" }, [ext]: { manager: { value: "t" } } });
    expect(diff.operations).toEqual([
      { op: "replace", path: "name", value: { givenName: "A" } },
      { op: "replace", path: `${ext}:manager`, value: { value: "t" } },
    ]);
  });
});
