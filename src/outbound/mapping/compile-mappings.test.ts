import { describe, expect, it } from "vitest";
import { Urn } from "../../scim/urns.js";
import { describeMappingProblem, type AttributeMapping } from "./attribute-mapping.js";
import { compileMappings } from "./compile-mappings.js";
import { defaultGroupMappings, defaultUserMappings } from "./default-mappings.js";
import { validateMappings } from "./validate-mappings.js";

const userName: AttributeMapping = { target: "userName", source: "userName" };

function problems(mappings: AttributeMapping[], type: "User" | "Group" = "User"): string[] {
  return validateMappings(type, mappings).map(describeMappingProblem);
}

describe("compileMappings", () => {
  it("accepts the default mappings, with manager as a reference", () => {
    const users = compileMappings("User", defaultUserMappings);
    if (!users.ok) throw new Error(users.error.map(describeMappingProblem).join("\n"));
    const manager = users.value.mappings.find((mapping) => mapping.target.attributeName === `${Urn.EnterpriseUser}:manager`);
    expect(manager?.value).toMatchObject({ kind: "reference", resourceType: "User" });
    expect(users.value.mappings.filter((mapping) => mapping.value.kind === "reference")).toHaveLength(1);
    expect(users.value.createOnly).toEqual([]);
    expect(validateMappings("Group", defaultGroupMappings)).toEqual([]);
  });

  it("defaults applyOn to always and lists create-only targets", () => {
    const compiled = compileMappings("User", [userName, { target: "externalId", expression: "id", applyOn: "create" }]);
    if (!compiled.ok) throw new Error("invalid");
    expect(compiled.value.mappings.map((mapping) => mapping.applyOn)).toEqual(["always", "create"]);
    expect(compiled.value.createOnly.map((target) => target.label)).toEqual(["externalId"]);
  });

  it("accepts targets and sources written every supported way", () => {
    expect(
      problems([
        userName,
        { target: 'emails[type eq "work"].value', source: "userName" },
        { target: 'emails[type eq "home" and primary eq false].display', constant: "Home" },
        { target: "name.givenName", expression: "upper(name.givenName)" },
        { target: `${Urn.EnterpriseUser}:department`, source: "department" },
        { target: "manager.value", source: `${Urn.EnterpriseUser}:manager.value` },
        { target: "active", constant: "True" },
        { target: 'addresses[type eq "work"]', source: 'addresses[type eq "work"]' },
        { target: "roles", source: "entitlements" },
        { target: "phoneNumbers", source: "userName" },
        { target: "externalId", expression: "coalesce(externalId, id)" },
        { target: "x509Certificates", source: "x509Certificates" },
      ]),
    ).toEqual([]);
  });

  it("explains each problem with its index and field", () => {
    expect(
      problems([
        userName,
        { target: "id", source: "id" },
        { target: "meta.created", source: "meta.created" },
        { target: "password", constant: "x" },
        { target: "groups", source: "emails" },
        { target: "emails.value", source: "userName" },
        { target: 'emails[value co "x"].value', source: "userName" },
        { target: "title", source: "password" },
        { target: "title", source: "emails" },
        { target: "title", source: "name" },
        { target: "title", source: "active" },
        { target: "name", source: "addresses" },
        { target: "nickName", source: "userName", constant: "x" },
        { target: "nickName" },
        { target: "active", constant: "maybe" },
        { target: "title", constant: null },
        { target: "displayName", expression: "lower(userName" },
        { target: "displayName", expression: "upper(emails)" },
        { target: "nosuch", source: "userName" },
        { target: "locale", source: "nosuch.x" },
        { target: "userName", source: "externalId" },
        { target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", source: "userName" },
        { target: "title", source: "title", applyOn: "sometimes" as "always" },
      ]),
    ).toEqual([
      '[1].target: "id": id is read-only; the target maintains it',
      '[2].target: "meta.created": meta.created is read-only; the target maintains it',
      '[3].target: "password": Muster never sends passwords',
      '[4].target: "groups": groups is read-only; the target maintains it',
      '[5].target: "emails.value" does not say which value of emails to write; add a filter, e.g. emails[type eq "work"].value',
      '[6].target: "emails[value co "x"].value": the filter [value co "x"] must pin one value with "eq" comparisons joined by "and", e.g. [type eq "work"]',
      '[7].source: "password": passwords are stored only as hashes, so there is nothing to send',
      '[8].source: "emails" gives a list of values, but title takes text (pick one value with a filter and a sub-attribute, e.g. emails[type eq "work"].value)',
      '[9].source: "name" gives a complex value, but title takes text (name one of its sub-attributes)',
      '[10].source: "active" gives a boolean, but title takes text (convert it with an expression, e.g. lower(active))',
      '[11].source: "addresses" has sub-attributes that name does not (streetAddress, locality, region, postalCode, country, type, primary); map the sub-attributes one by one',
      "[12]: has source and constant; give exactly one of source, constant or expression",
      "[13]: needs one of source, constant or expression",
      "[14].constant: active must be a boolean, got \"maybe\".",
      "[15].constant: must be a value; to send nothing, leave the attribute unmapped",
      '[16].expression: expected "," or ")" after argument 1 of lower(), found the end of the expression at column 15',
      "[17].expression: upper() needs text, but argument 1 is a list of values at column 7",
      expect.stringMatching(/^\[18\]\.target: The path "nosuch" names nothing in User resources: unknown attribute "nosuch"/),
      expect.stringMatching(/^\[19\]\.source: The path "nosuch.x" names nothing/),
      '[20].target: "userName" is already written by mapping 0; map each target once',
      expect.stringMatching(/^\[21\]\.target: ".*:User" names a whole schema; map its attributes one by one$/),
      '[22].applyOn: must be "always" or "create"',
    ]);
  });

  it("finds a target mapped twice however it is spelled", () => {
    expect(problems([userName, { target: "department", constant: "a" }, { target: `${Urn.EnterpriseUser}:Department`, constant: "b" }])).toEqual([
      `[2].target: "${Urn.EnterpriseUser}:Department" is already written by mapping 1; map each target once`,
    ]);
    expect(problems([userName, { target: 'emails[type eq "work"].value', constant: "a@x" }, { target: 'EMAILS[type  eq "work"].Value', constant: "b@x" }])).toHaveLength(1);
    expect(problems([userName, { target: 'emails[type eq "work"].value', constant: "a@x" }, { target: 'emails[type eq "home"].value', constant: "b@x" }])).toEqual([]);
  });

  it("requires a mapping for userName, and for a group's displayName; members are never mapped", () => {
    expect(problems([{ target: "title", source: "title" }])).toEqual(["userName is required for Users in SCIM, so a mapping must write it (the default maps userName from userName)"]);
    expect(problems([{ target: "externalId", source: "externalId" }], "Group")).toEqual([
      "displayName is required for Groups in SCIM, so a mapping must write it (the default maps displayName from displayName)",
    ]);
    expect(problems([{ target: "displayName", source: "displayName" }, { target: "members", source: "members" }], "Group")).toEqual([
      '[1].target: "members": group members are provisioned by the engine, not by a mapping',
    ]);
    expect(problems([{ target: "displayName", source: "members.value" }], "Group")).toEqual([
      '[0].source: "members.value": group members are not an attribute of the source document; the engine provisions memberships itself',
    ]);
  });
});
