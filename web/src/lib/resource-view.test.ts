import { describe, expect, it } from "vitest";
import { describeResource } from "./resource-view";

const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const user = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", enterprise],
  id: "2819c223",
  externalId: "ext-1",
  userName: "alex@example.com",
  name: { givenName: "Alex", familyName: "Ng" },
  active: false,
  emails: [
    { value: "alex@example.com", type: "work", primary: true },
    { value: "alex@home.example", type: "home" },
  ],
  nickName: null,
  roles: [],
  [enterprise]: { department: "Sales", manager: { value: "m-1", displayName: "Sam" } },
  groups: [{ value: "g-1", display: "Sales" }],
  meta: { resourceType: "User", created: "2026-11-28T20:00:00.000Z", lastModified: "2026-11-28T21:00:00.000Z", version: 'W/"3"' },
};

describe("describeResource", () => {
  it("puts core attributes first, then each extension, then metadata", () => {
    const sections = describeResource(user);
    expect(sections.map((section) => section.title)).toEqual(["Attributes", "Enterprise user", "Metadata"]);
    expect(sections[1]!.urn).toBe(enterprise);
  });

  it("keeps every core attribute in the resource's order, leaving memberships to their own list", () => {
    const names = describeResource(user)[0]!.fields.map((field) => field.name);
    expect(names).toEqual(["externalId", "userName", "name", "active", "emails", "nickName", "roles"]);
  });

  it("shows booleans, nulls and empty lists for what they are", () => {
    const fields = describeResource(user)[0]!.fields;
    expect(fields.find((field) => field.name === "active")!.value).toEqual({ kind: "boolean", value: false });
    expect(fields.find((field) => field.name === "nickName")!.value).toEqual({ kind: "empty" });
    expect(fields.find((field) => field.name === "roles")!.value).toEqual({ kind: "empty" });
  });

  it("shows a complex attribute as its sub-attributes", () => {
    const name = describeResource(user)[0]!.fields.find((field) => field.name === "name")!;
    expect(name.value).toEqual({
      kind: "fields",
      fields: [
        { name: "givenName", value: { kind: "text", text: "Alex" } },
        { name: "familyName", value: { kind: "text", text: "Ng" } },
      ],
    });
  });

  it("shows a multi-valued complex attribute as a table with a column for every sub-attribute used", () => {
    const emails = describeResource(user)[0]!.fields.find((field) => field.name === "emails")!;
    expect(emails.value).toEqual({
      kind: "table",
      columns: ["value", "type", "primary"],
      rows: [
        [
          { kind: "text", text: "alex@example.com" },
          { kind: "text", text: "work" },
          { kind: "boolean", value: true },
        ],
        [{ kind: "text", text: "alex@home.example" }, { kind: "text", text: "home" }, { kind: "empty" }],
      ],
    });
  });

  it("shows extension attributes, including a complex manager", () => {
    const fields = describeResource(user)[1]!.fields;
    expect(fields.map((field) => field.name)).toEqual(["department", "manager"]);
    expect(fields[1]!.value.kind).toBe("fields");
  });

  it("lists id, schemas and meta as metadata, with meta's times as times", () => {
    const fields = describeResource(user)[2]!.fields;
    expect(fields.map((field) => field.name)).toEqual(["id", "schemas", "resourceType", "created", "lastModified", "version"]);
    expect(fields[1]!.value).toEqual({ kind: "list", items: user.schemas });
    expect(fields[3]!.value).toEqual({ kind: "time", iso: "2026-11-28T20:00:00.000Z" });
  });

  it("shows a multi-valued attribute of simple values as a list", () => {
    const sections = describeResource({ id: "g", displayName: "Ops", tags: ["a", "b"] });
    expect(sections[0]!.fields[1]!.value).toEqual({ kind: "list", items: ["a", "b"] });
  });
});
