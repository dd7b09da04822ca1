import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { viewOfStored } from "../../provisioning/lookups.js";
import { isJsonObject, type JsonObject } from "../../scim/json.js";
import { applyPatch } from "../../scim/patch/apply-patch.js";
import { parseResourceBody } from "../../scim/resource/parse-resource-body.js";
import { projectResource } from "../../scim/resource/projection.js";
import { registry, type ResourceSchema } from "../../scim/schema/registry.js";
import { Urn } from "../../scim/urns.js";
import type { GroupRef, StoredResource } from "../../store/store.js";
import { presentResource } from "./present-resource.js";
import { renderListText, renderStoredResource } from "./render-stored.js";

const user = registry.forType("User");
const group = registry.forType("Group");
const ext = Urn.EnterpriseUser;
const base = "https://scim.example.com/scim/v2/acme";

const text = fc.oneof(fc.constantFrom("a", "Alex", "work", "x@y.test", "True", 'q"uote\\', "ünï 😀", "</script>"), fc.string({ minLength: 1, maxLength: 8 }));
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const plural = fc.array(fc.record({ value: text, type: maybe(fc.constantFrom("work", "home", "other")), primary: maybe(fc.boolean()), display: maybe(text) }, { requiredKeys: ["value"] }), { maxLength: 3 });
const userBody = fc.record(
  {
    userName: text,
    displayName: maybe(text),
    active: maybe(fc.boolean()),
    externalId: maybe(text),
    name: maybe(fc.record({ givenName: maybe(text), familyName: maybe(text), formatted: maybe(fc.constant(null)) })),
    emails: maybe(plural),
    phoneNumbers: maybe(plural),
    addresses: maybe(fc.array(fc.record({ streetAddress: maybe(text), locality: maybe(text), type: maybe(fc.constant("work")) }), { maxLength: 2 })),
    roles: maybe(plural),
    x509Certificates: maybe(fc.constant([])),
    [ext]: maybe(fc.record({ employeeNumber: maybe(text), department: maybe(text), manager: maybe(fc.record({ value: maybe(text) })) })),
    password: maybe(text),
  },
  { requiredKeys: ["userName"] },
);
const groups = fc.uniqueArray(fc.record({ value: fc.string({ minLength: 1, maxLength: 6 }), display: text }), { selector: (entry) => entry.value, maxLength: 3 }).map((list) => [...list].sort((a, b) => (a.value < b.value ? -1 : 1)));
/** PATCH operations an identity provider sends that can empty parts of a document. */
const patchOps = fc.array(
  fc.oneof(
    fc.constantFrom(
      { op: "remove", path: `${ext}:employeeNumber` },
      { op: "remove", path: `${ext}:department` },
      { op: "remove", path: `${ext}:manager` },
      { op: "remove", path: "emails" },
      { op: "remove", path: 'emails[type eq "work"]' },
      { op: "remove", path: "name.givenName" },
      { op: "remove", path: "name.familyName" },
      { op: "replace", path: `${ext}:manager`, value: { value: "" } },
      { op: "replace", path: "name", value: {} },
      { op: "add", path: "emails", value: [] },
      { op: "replace", path: "addresses", value: [{}] },
    ),
    text.map((value) => ({ op: "replace", path: "title", value })),
  ),
  { maxLength: 4 },
);

/** JSON text as PostgreSQL prints jsonb: a space after each `:` and `,` between members and elements. */
function jsonbText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(", ")}]`;
  if (isJsonObject(value)) return `{${Object.entries(value).map(([key, inner]) => `${JSON.stringify(key)}: ${jsonbText(inner)}`).join(", ")}}`;
  return JSON.stringify(value);
}

/** What the lookup statement returns for a document written by the store (SQLite: JSON.stringify's text). */
function stored(schema: ResourceSchema, attributes: JsonObject, memberOf: readonly GroupRef[] | undefined, canonicalJson = true): StoredResource {
  const json = JSON.stringify(attributes);
  return {
    tenantId: "t1",
    id: "2f6c1e0a-4a3b-4c1d-9e7f-0123456789ab",
    type: schema.name,
    attributesJson: canonicalJson ? json : jsonbText(attributes),
    canonicalJson,
    extensions: schema.extensions.map((extension) => extension.id).filter((urn) => isJsonObject(attributes[urn])),
    created: "2026-01-02T03:04:05.678Z",
    lastModified: "2026-02-03T04:05:06.789Z",
    version: 7,
    ...(memberOf === undefined ? {} : { groups: memberOf }),
  };
}

/** The general path's bytes: parse, present, project, serialise. */
function general(schema: ResourceSchema, resource: StoredResource): string {
  return JSON.stringify(projectResource(schema, presentResource(viewOfStored(resource), schema, base), { kind: "default" }));
}

describe("renderStoredResource", () => {
  it("gives the general presenter's bytes for every created User, with and without groups", () => {
    fc.assert(
      fc.property(userBody, maybe(groups), (body, memberOf) => {
        const parsed = parseResourceBody(user, JSON.parse(JSON.stringify(body)), { mode: "create" });
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const resource = stored(user, parsed.value.attributes, memberOf);
        expect(renderStoredResource(resource, user, base)).toBe(general(user, resource));
      }),
      { numRuns: 400 },
    );
  });

  it("gives the general presenter's bytes after PATCHes that remove or empty attributes", () => {
    fc.assert(
      fc.property(userBody, patchOps, (body, operations) => {
        const parsed = parseResourceBody(user, JSON.parse(JSON.stringify(body)), { mode: "create" });
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const patched = applyPatch(user, { id: "u-1", attributes: parsed.value.attributes }, { schemas: [Urn.PatchOp], Operations: operations }, { relations: new Set() });
        fc.pre(patched.ok);
        if (!patched.ok) return;
        const resource = stored(user, patched.value.attributes, undefined);
        expect(renderStoredResource(resource, user, base)).toBe(general(user, resource));
      }),
      { numRuns: 400 },
    );
  });

  it("re-serialises PostgreSQL's spaced jsonb text to the same bytes", () => {
    const resource = stored(user, { userName: "ann@x.example", name: { givenName: "Ann" }, [ext]: { department: "Sales" } }, [{ value: "g1", display: "Staff" }], false);
    expect(renderStoredResource(resource, user, base)).toBe(general(user, resource));
  });

  it("renders Groups (no members) and a document without attributes", () => {
    const resource = stored(group, { displayName: "Staff", externalId: "e-1" }, undefined);
    expect(renderStoredResource(resource, group, base)).toBe(general(group, resource));
    const bare = { ...stored(group, {}, undefined) };
    expect(renderStoredResource(bare, group, base)).toBe(general(group, bare));
  });
});

describe("renderListText", () => {
  it("is a ListResponse of the first index page", () => {
    const resource = stored(user, { userName: "ann@x.example" }, []);
    const list = JSON.parse(renderListText({ totalResults: 1, startIndex: 1 }, [renderStoredResource(resource, user, base)])) as JsonObject;
    expect(list).toEqual({ schemas: [Urn.ListResponse], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [JSON.parse(general(user, resource))] });
    expect(Object.keys(list)).toEqual(["schemas", "totalResults", "startIndex", "itemsPerPage", "Resources"]);
  });

  it("carries nextCursor, and no startIndex, for cursor paging (RFC 9865)", () => {
    const list = JSON.parse(renderListText({ totalResults: 5, nextCursor: 'c"1' }, [])) as JsonObject;
    expect(list).toEqual({ schemas: [Urn.ListResponse], totalResults: 5, itemsPerPage: 0, nextCursor: 'c"1', Resources: [] });
    expect(Object.keys(list)).toEqual(["schemas", "totalResults", "itemsPerPage", "nextCursor", "Resources"]);
  });
});
