import { describe, expect, it } from "vitest";
import { Urn } from "../../scim/urns.js";
import { defaultGroupMappings, defaultUserMappings } from "./default-mappings.js";
import { projectResource } from "./project-resource.js";
import { resolveReferences } from "./resolve-references.js";
import type { SourceResource } from "./source-resource.js";
import { compiled, fullUser } from "./testing.js";

const defaults = compiled("User", defaultUserMappings);

describe("projectResource", () => {
  it("copies every default attribute, leaves out x509Certificates and holds manager back as a reference", () => {
    const projection = projectResource(defaults, fullUser, { creating: true });
    if (!projection.ok) throw new Error(JSON.stringify(projection.error));
    const { [Urn.EnterpriseUser]: enterprise, x509Certificates, ...core } = fullUser.attributes;
    expect(x509Certificates).toBeDefined();
    const { manager, ...enterpriseRest } = enterprise as Record<string, unknown>;
    expect(projection.value.document).toEqual({ schemas: [Urn.User, Urn.EnterpriseUser], ...core, [Urn.EnterpriseUser]: enterpriseRest });
    expect(manager).toEqual({ value: "u-boss" });
    expect(projection.value.references).toMatchObject([{ kind: "reference", resourceType: "User", sourceId: "u-boss", target: { label: `${Urn.EnterpriseUser}:manager` } }]);
  });

  it("resolves references to the target's ids, and lists those it cannot", () => {
    const projection = projectResource(defaults, fullUser, { creating: false });
    if (!projection.ok) throw new Error("failed");
    const resolved = resolveReferences(projection.value, (reference) => (reference.sourceId === "u-boss" ? "t-77" : undefined));
    expect(resolved).toMatchObject({ ok: true, value: { unresolved: [] } });
    if (resolved.ok) expect(resolved.value.document[Urn.EnterpriseUser]).toMatchObject({ department: "Platform", manager: { value: "t-77" } });
    const pending = resolveReferences(projection.value, () => undefined);
    expect(pending).toMatchObject({ ok: true, value: { unresolved: [{ sourceId: "u-boss" }] } });
    if (pending.ok) expect(pending.value.document[Urn.EnterpriseUser]).not.toHaveProperty("manager");
  });

  it("writes the manager id through a manager.value target too", () => {
    const mappings = compiled("User", [{ target: "userName", source: "userName" }, { target: "manager.value", source: "manager" }]);
    const projection = projectResource(mappings, fullUser, { creating: true });
    if (!projection.ok) throw new Error("failed");
    const resolved = resolveReferences(projection.value, () => "t-1");
    expect(resolved).toEqual({ ok: true, value: { document: { schemas: [Urn.User, Urn.EnterpriseUser], userName: "alex@example.com", [Urn.EnterpriseUser]: { manager: { value: "t-1" } } }, unresolved: [] } });
  });

  it("gives only core schemas when no extension attribute has a value", () => {
    const user = { id: "u-2", attributes: { userName: "bo@example.com", active: false } };
    expect(projectResource(defaults, user, { creating: true })).toEqual({ ok: true, value: { type: "User", document: { schemas: [Urn.User], userName: "bo@example.com", active: false }, references: [] } });
  });

  it("applies mappings in order: constants, expressions, filtered targets, later ones over earlier ones", () => {
    const mappings = compiled("User", [
      { target: "userName", expression: "lower(userName)" },
      { target: "emails", source: "emails" },
      { target: 'emails[type eq "work"].display', constant: "Work" },
      { target: 'emails[type eq "other"].value', expression: 'append(userName, ".other")' },
      { target: "displayName", source: "displayName" },
    ]);
    const projection = projectResource(mappings, fullUser, { creating: true });
    expect(projection).toMatchObject({
      ok: true,
      value: {
        document: {
          userName: "alex@example.com",
          emails: [
            { value: "alex@example.com", type: "work", primary: true, display: "Work" },
            { value: "alex@home.example", type: "home" },
            { type: "other", value: "alex@example.com.other" },
          ],
          displayName: "Alex Ng",
        },
      },
    });
    const overlapping = compiled("User", [
      { target: "userName", source: "userName" },
      { target: "name", source: "name" },
      { target: "name.givenName", expression: "upper(name.givenName)" },
      { target: "name.middleName", source: "nickName" },
    ]);
    const result = projectResource(overlapping, fullUser, { creating: true });
    expect(result).toMatchObject({ ok: true, value: { document: { name: { formatted: "Dr. Alex Ng", familyName: "Ng", givenName: "ALEX", honorificPrefix: "Dr.", middleName: "Al" } } } });
  });

  it("writes nothing for an unassigned value, and a list into one value takes the primary", () => {
    const mappings = compiled("User", [
      { target: "userName", source: "userName" },
      { target: "nickName", source: "title" },
      { target: "title", expression: "coalesce(nickName, displayName)" },
      { target: 'addresses[type eq "work"]', source: "addresses" },
      { target: "phoneNumbers", source: "userName" },
    ]);
    const user: SourceResource = { id: "u-3", attributes: { userName: "c@example.com", displayName: "C", addresses: [{ locality: "Oslo", type: "home" }, { locality: "Bergen", primary: true, type: "work" }] } };
    expect(projectResource(mappings, user, { creating: true })).toEqual({
      ok: true,
      value: {
        type: "User",
        references: [],
        document: { schemas: [Urn.User], userName: "c@example.com", title: "C", addresses: [{ type: "work", locality: "Bergen", primary: true }], phoneNumbers: [{ value: "c@example.com" }] },
      },
    });
  });

  it("applies create-only mappings only when creating", () => {
    const mappings = compiled("User", [
      { target: "userName", source: "userName" },
      { target: "externalId", expression: "id", applyOn: "create" },
      { target: "active", constant: false, applyOn: "create" },
    ]);
    expect(projectResource(mappings, fullUser, { creating: true })).toMatchObject({ ok: true, value: { document: { userName: "alex@example.com", externalId: "u-alex", active: false } } });
    const update = projectResource(mappings, fullUser, { creating: false });
    expect(update.ok && update.value.document).toEqual({ schemas: [Urn.User], userName: "alex@example.com" });
  });

  it("fails with every problem when values do not fit or userName ends up empty", () => {
    const mappings = compiled("User", [
      { target: "userName", expression: "nickName" },
      { target: "active", source: "title" },
      { target: "title", expression: 'left(title, 1)' },
      { target: "locale", expression: "lower(not(title))" },
    ]);
    const user = { id: "u-4", attributes: { userName: "d@example.com", title: "maybe" } };
    expect(projectResource(mappings, user, { creating: true })).toEqual({
      ok: false,
      error: [
        { target: "active", message: 'mapping 1 gave "maybe", which does not fit: active must be a boolean, got "maybe".' },
        { target: "locale", message: 'mapping 3 (lower(not(title))): not() needs a boolean, but got "maybe" (at column 7)' },
        { target: "userName", message: "userName is required, but the mappings gave it no value for this user" },
      ],
    });
  });

  it("does not require an attribute on update when only a create-only mapping writes it", () => {
    const mappings = compiled("Group", [{ target: "displayName", source: "displayName", applyOn: "create" }, { target: "externalId", source: "externalId" }]);
    expect(projectResource(mappings, { id: "g", attributes: { displayName: "Sales", externalId: "e" } }, { creating: false })).toEqual({ ok: true, value: { type: "Group", document: { schemas: [Urn.Group], externalId: "e" }, references: [] } });
  });

  it("projects groups with the default mappings, never their members", () => {
    const groups = compiled("Group", defaultGroupMappings);
    expect(projectResource(groups, { id: "g-1", attributes: { displayName: "Sales", externalId: "x-1" } }, { creating: true })).toEqual({
      ok: true,
      value: { type: "Group", document: { schemas: [Urn.Group], displayName: "Sales", externalId: "x-1" }, references: [] },
    });
  });
});
