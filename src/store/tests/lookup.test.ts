import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Urn } from "../../scim/urns.js";
import { parseFilter } from "../../scim/filter/parse-filter.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import { unwrap } from "../../scim/result.js";
import { registry, type ResolvedAttribute } from "../../scim/schema/registry.js";
import { parseAttributePath } from "../../scim/filter/parse-path.js";
import type { ListQuery, LookupOptions, StoredResource } from "../store.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../testing/temp-store.js";

let temp: TempStore;
const withGroups: LookupOptions = { groups: true, extensions: [Urn.EnterpriseUser] };
const plain: LookupOptions = { groups: false, extensions: [] };

beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
  await insertResource(temp.store, "t1", "User", { userName: "Ann@X.example", externalId: "ext-A", [Urn.EnterpriseUser]: { department: "Sales" } }, "u1");
  await insertResource(temp.store, "t1", "User", { userName: "bob@x.example", externalId: "ext-A" }, "u2");
  await insertResource(temp.store, "t1", "User", { userName: "cy@x.example", externalId: "ext-a" }, "u3");
  await insertResource(temp.store, "t1", "Group", { displayName: "Zeta Team" }, "gz");
  await insertResource(temp.store, "t1", "Group", { displayName: "Alpha Team", externalId: "g-ext" }, "ga");
  await insertResource(temp.store, "t2", "User", { userName: "ann@x.example" }, "v1");
  await temp.store.write(async (s) => {
    await s.resources.addMembers("t1", "gz", [{ value: "u1", type: "User" }]);
    await s.resources.addMembers("t1", "ga", [{ value: "u1", type: "User" }]);
  });
});
afterEach(() => temp.dispose());

/** What the general read path gives for the same resource. */
async function generalRead(type: "User" | "Group", tenantId: string, id: string) {
  return temp.store.read(async (s) => {
    const record = await s.resources.get(type, tenantId, id);
    const groups = type === "User" ? (await s.resources.groupsOf(tenantId, [id])).get(id) : undefined;
    return { record, groups };
  });
}

function asRecord(stored: StoredResource) {
  const { attributesJson, canonicalJson: _canonical, extensions: _extensions, groups: _groups, ...rest } = stored;
  return { ...rest, attributes: JSON.parse(attributesJson) as unknown };
}

describe("ResourceLookup.byId", () => {
  it("reads what the general path reads: the record, its groups in group-id order, and which extensions it holds", async () => {
    const stored = await temp.store.lookup.byId("User", "t1", "u1", withGroups);
    const general = await generalRead("User", "t1", "u1");
    expect(stored && asRecord(stored)).toEqual(general.record);
    expect(stored?.groups).toEqual(general.groups);
    expect(stored?.groups?.map((group) => group.value)).toEqual(["ga", "gz"]);
    expect(stored?.extensions).toEqual([Urn.EnterpriseUser]);
    expect(stored?.canonicalJson).toBe(temp.store.dialect === "sqlite");
  });

  it("gives an empty group list to a user in no group, and no groups when not asked", async () => {
    expect((await temp.store.lookup.byId("User", "t1", "u2", withGroups))?.groups).toEqual([]);
    expect((await temp.store.lookup.byId("User", "t1", "u2", withGroups))?.extensions).toEqual([]);
    expect((await temp.store.lookup.byId("User", "t1", "u1", plain))?.groups).toBeUndefined();
  });

  it("reads groups, and never another tenant's rows", async () => {
    const stored = await temp.store.lookup.byId("Group", "t1", "ga", plain);
    expect(stored && asRecord(stored)).toEqual((await generalRead("Group", "t1", "ga")).record);
    expect(await temp.store.lookup.byId("User", "t2", "u1", withGroups)).toBeUndefined();
    expect(await temp.store.lookup.byId("Group", "t1", "u1", plain)).toBeUndefined();
  });

  it("reads the latest committed state right after a write", async () => {
    for (let round = 0; round < 20; round++) {
      await temp.store.write((s) => s.resources.touch("User", "t1", "u2", `2026-03-01T00:00:${String(round).padStart(2, "0")}.000Z`));
      expect((await temp.store.lookup.byId("User", "t1", "u2", plain))?.version).toBe(2 + round);
    }
  });
});

describe("ResourceLookup.byKey", () => {
  it("matches userName and displayName case-insensitively, externalId and id exactly", async () => {
    expect((await temp.store.lookup.byKey("User", "t1", "userName", "ANN@x.EXAMPLE", 2, plain)).map((s) => s.id)).toEqual(["u1"]);
    expect((await temp.store.lookup.byKey("User", "t1", "externalId", "ext-A", 5, plain)).map((s) => s.id)).toEqual(["u1", "u2"]);
    expect((await temp.store.lookup.byKey("User", "t1", "externalId", "EXT-A", 5, plain)).map((s) => s.id)).toEqual([]);
    expect((await temp.store.lookup.byKey("User", "t1", "id", "u3", 5, plain)).map((s) => s.id)).toEqual(["u3"]);
    expect((await temp.store.lookup.byKey("Group", "t1", "displayName", "alpha team", 5, plain)).map((s) => s.id)).toEqual(["ga"]);
    expect((await temp.store.lookup.byKey("Group", "t1", "externalId", "g-ext", 5, plain)).map((s) => s.id)).toEqual(["ga"]);
  });

  it("stops at the limit in id order, and stays inside the tenant", async () => {
    expect((await temp.store.lookup.byKey("User", "t1", "externalId", "ext-A", 1, plain)).map((s) => s.id)).toEqual(["u1"]);
    expect((await temp.store.lookup.byKey("User", "t2", "userName", "ann@x.example", 5, plain)).map((s) => s.id)).toEqual(["v1"]);
    expect(await temp.store.lookup.byKey("User", "t2", "externalId", "ext-A", 5, plain)).toEqual([]);
  });

  it("reads each match with its groups as byId does", async () => {
    const [found] = await temp.store.lookup.byKey("User", "t1", "userName", "ann@x.example", 2, withGroups);
    expect(found).toEqual(await temp.store.lookup.byId("User", "t1", "u1", withGroups));
  });

  it("finds nothing, without an error, for text no database can store (U+0000, an unpaired surrogate)", async () => {
    expect(await temp.store.lookup.byId("User", "t1", "u1\u0000", withGroups)).toBeUndefined();
    expect(await temp.store.lookup.byId("User", "t1", "\uD800u1", withGroups)).toBeUndefined();
    expect(await temp.store.lookup.byKey("User", "t1", "userName", "ann@x.example\u0000", 2, plain)).toEqual([]);
    expect(await temp.store.lookup.byKey("User", "t1", "externalId", "ext-A\uDC00", 2, plain)).toEqual([]);
  });

  it("refuses a key the type has no column for", async () => {
    await expect(temp.store.lookup.byKey("Group", "t1", "userName", "x", 1, plain)).rejects.toThrow(/cannot be looked up/);
  });
});

function userNameAttribute(): ResolvedAttribute {
  const resolved = registry.forType("User").resolve(unwrap(parseAttributePath("userName")));
  if (!resolved.ok || resolved.value.kind !== "attribute") throw new Error("userName is an attribute");
  return { schema: resolved.value.schema, extension: resolved.value.extension, attribute: resolved.value.attribute };
}

describe("ResourceRepository.listStored", () => {
  const users = registry.forType("User");
  const filter = (text: string) => unwrap(resolveFilter(unwrap(parseFilter(text)), users));
  const queries: Record<string, ListQuery> = {
    "the whole tenant by index": { page: { kind: "index", startIndex: 1, count: 2 } },
    "a later index page": { page: { kind: "index", startIndex: 3, count: 2 } },
    "a cursor page": { page: { kind: "cursor", count: 2 } },
    "a filter": { filter: filter('userName sw "b" or externalId eq "ext-A"'), page: { kind: "index", startIndex: 1, count: 10 } },
    "a sort": { sort: { attr: userNameAttribute(), descending: true }, page: { kind: "cursor", count: 2 } },
  };

  for (const [name, query] of Object.entries(queries)) {
    it(`pages as list does, each resource as the general path reads it: ${name}`, async () => {
      const [general, stored] = await temp.store.read(async (s) => [await s.resources.list("User", "t1", query), await s.resources.listStored("User", "t1", query, withGroups)] as const);
      expect(stored.resources.map(asRecord)).toEqual(general.records);
      expect(stored.totalResults).toBe(general.totalResults);
      expect(stored.next).toEqual(general.next);
      const groups = await temp.store.read((s) => s.resources.groupsOf("t1", general.records.map((record) => record.id)));
      expect(stored.resources.map((resource) => resource.groups)).toEqual(general.records.map((record) => groups.get(record.id)));
    });
  }
});
