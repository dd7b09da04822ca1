import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScimError } from "../../scim/errors.js";
import { parseAttributePath } from "../../scim/filter/parse-path.js";
import { parseFilter } from "../../scim/filter/parse-filter.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import type { JsonObject } from "../../scim/json.js";
import { unwrap } from "../../scim/result.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { findSubAttribute, registry, type ResolvedAttribute } from "../../scim/schema/registry.js";
import { Urn } from "../../scim/urns.js";
import type { CursorPosition, ListQuery, PageRequest, SortSpec } from "../store.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../testing/temp-store.js";

const enterprise = Urn.EnterpriseUser;
const users: Record<string, JsonObject> = {
  u1: {
    userName: "alice",
    displayName: "Alice A",
    active: true,
    title: "Engineer",
    externalId: "ext-1",
    name: { givenName: "Alice", familyName: "Zed" },
    emails: [{ value: "alice@Work.example", type: "work", primary: true }, { value: "alice@home.example", type: "home" }],
    phoneNumbers: [{ value: "+1 555 0100", type: "work" }],
    [enterprise]: { department: "R&D", manager: { value: "u2" } },
  },
  u2: { userName: "Bob", active: false, title: "", externalId: "EXT-2", name: { givenName: "bob" }, emails: [{ value: "bob@work.example", type: "home" }] },
  u3: { userName: "carol", addresses: [{ locality: "Oslo", type: "work" }], roles: [{ value: "admin" }], title: "manager" },
  u4: { userName: "dave", displayName: "\u03a9mega", emails: [{ value: "dave@x.example", type: "work" }, { value: "dave2@x.example", type: "work", primary: true }], active: true },
  u5: { userName: "Émile", title: "Sales and Marketing", [enterprise]: { department: "Sales" } },
};
const created: Record<string, string> = { u1: "2026-01-01T00:00:00.000Z", u2: "2026-01-02T00:00:00.000Z", u3: "2026-01-03T00:00:00.000Z", u4: "2026-01-04T00:00:00.000Z", u5: "2026-01-05T00:00:00.000Z" };

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
  for (const [id, attributes] of Object.entries(users)) await insertResource(temp.store, "t1", "User", attributes, id, created[id]);
  // Another tenant holds look-alikes that must never appear in t1's results.
  await insertResource(temp.store, "t2", "User", { userName: "alice", title: "Engineer", emails: [{ value: "alice@Work.example", type: "work" }] }, "x1");
  await insertResource(temp.store, "t2", "Group", { displayName: "Engineering" }, "y1");
  await insertResource(temp.store, "t1", "Group", { displayName: "Engineering" }, "g1");
  await insertResource(temp.store, "t1", "Group", { displayName: "Sales and Marketing", externalId: "sm" }, "g2");
  await insertResource(temp.store, "t1", "Group", { displayName: "Empty" }, "g3");
  await temp.store.write(async (s) => {
    await s.resources.addMembers("t1", "g1", [{ value: "u1", type: "User" }, { value: "u4", type: "User" }]);
    await s.resources.addMembers("t1", "g2", [{ value: "u2", type: "User" }, { value: "g1", type: "Group" }]);
    await s.resources.addMembers("t2", "y1", [{ value: "x1", type: "User" }, { value: "u1", type: "User" }]);
  });
});
afterAll(() => temp.dispose());

function filterOf(type: ResourceTypeName, text: string) {
  return unwrap(resolveFilter(unwrap(parseFilter(text)), registry.forType(type)));
}

/** A sort key as list-request.ts builds it: complex attributes bound to their `value` sub-attribute. */
function attributeOf(type: ResourceTypeName, path: string): ResolvedAttribute {
  const resolved = registry.forType(type).resolve(unwrap(parseAttributePath(path)));
  if (!resolved.ok || resolved.value.kind !== "attribute") throw new Error(`not an attribute: ${path}`);
  const { schema, extension, attribute, subAttribute } = resolved.value;
  const sub = subAttribute ?? (attribute.type === "complex" ? findSubAttribute(attribute, "value") : undefined);
  return { schema, extension, attribute, ...(sub ? { subAttribute: sub } : {}) };
}

const all: PageRequest = { kind: "index", startIndex: 1, count: 1000 };

async function ids(type: ResourceTypeName, filter?: string, sort?: SortSpec, tenantId = "t1"): Promise<string[]> {
  const query: ListQuery = { page: all, ...(filter ? { filter: filterOf(type, filter) } : {}), ...(sort ? { sort } : {}) };
  const page = await temp.store.read((s) => s.resources.list(type, tenantId, query));
  expect(page.totalResults).toBe(page.records.length);
  return page.records.map((r) => r.id);
}

describe("filters on columns", () => {
  it.each([
    ['userName eq "ALICE"', ["u1"]],
    ['userName eq "\u00c9MILE"', ["u5"]],
    ['userName ne "alice"', ["u2", "u3", "u4", "u5"]],
    ['userName co "O"', ["u2", "u3"]],
    ['userName sw "B"', ["u2"]],
    ['userName ew "E"', ["u1", "u4", "u5"]],
    ['userName gt "bob"', ["u3", "u4", "u5"]],
    ['userName ge "bob"', ["u2", "u3", "u4", "u5"]],
    ['userName lt "carol"', ["u1", "u2"]],
    ['userName le "carol"', ["u1", "u2", "u3"]],
    ['externalId eq "ext-1"', ["u1"]],
    ['externalId eq "EXT-1"', []],
    ['externalId sw "EXT"', ["u2"]],
    ["externalId pr", ["u1", "u2"]],
    ['id eq "u3"', ["u3"]],
    ["active eq true", ["u1", "u4"]],
    ["active eq false", ["u2"]],
    ["active ne true", ["u2"]],
    ["not (active eq true)", ["u2", "u3", "u5"]],
    ["active pr", ["u1", "u2", "u4"]],
    ['meta.created gt "2026-01-03T00:00:00Z"', ["u4", "u5"]],
    ['meta.created ge "2026-01-03T01:00:00+01:00"', ["u3", "u4", "u5"]],
    ['meta.lastModified lt "2026-01-02T00:00:00.001Z"', ["u1", "u2"]],
    ["meta pr", ["u1", "u2", "u3", "u4", "u5"]],
  ])("User %s → %j", async (text, expected) => {
    expect(await ids("User", text)).toEqual(expected);
  });
});

describe("filters on the JSON document", () => {
  it.each([
    ['title eq "engineer"', ["u1"]],
    ['title ne "engineer"', ["u3", "u5"]],
    ['not (title eq "engineer")', ["u2", "u3", "u4", "u5"]],
    ["title pr", ["u1", "u3", "u5"]],
    ['title eq ""', []],
    ['title co ""', ["u1", "u3", "u5"]],
    ['title eq "sales and marketing"', ["u5"]],
    ['name.givenName eq "BOB"', ["u2"]],
    ['name.givenName co "LIC"', ["u1"]],
    ["name pr", ["u1", "u2"]],
    ["name.familyName pr", ["u1"]],
    ['name[givenName sw "a" and familyName eq "zed"]', ["u1"]],
    ['name[not (familyName pr)]', ["u2"]],
    ['displayName gt "z"', ["u4"]],
    ['displayName lt "\u03c9"', ["u1"]],
    [`${enterprise}:department eq "r&d"`, ["u1"]],
    [`${enterprise}:manager.value eq "U2"`, ["u1"]],
    [`${enterprise}:manager eq "u2"`, ["u1"]],
    [`${enterprise}:manager pr`, ["u1"]],
    [`not (${enterprise}:department pr)`, ["u2", "u3", "u4"]],
  ])("User %s → %j", async (text, expected) => {
    expect(await ids("User", text)).toEqual(expected);
  });
});

describe("filters on multi-valued attributes", () => {
  it.each([
    ['emails.value eq "ALICE@work.example"', ["u1"]],
    ['emails eq "bob@WORK.example"', ["u2"]],
    ['emails.value co "work"', ["u1", "u2"]],
    ['emails.value ew "@x.example"', ["u4"]],
    ['emails.type eq "home"', ["u1", "u2"]],
    ['emails.type ne "home"', ["u1", "u4"]],
    ["emails pr", ["u1", "u2", "u4"]],
    ["not (emails pr)", ["u3", "u5"]],
    ["emails.primary eq true", ["u1", "u4"]],
    ['emails[type eq "work"].value eq "alice@work.example"', ["u1"]],
    ['emails[type eq "home" and value sw "alice@work"]', []],
    ['emails[type eq "home" and value sw "alice@home"]', ["u1"]],
    ['emails[type eq "work" and not (primary eq true)]', ["u4"]],
    ['emails[display pr]', []],
    ['emails[type eq "work" and display pr]', []],
    ['phoneNumbers[type eq "work" and value sw "+1 555"]', ["u1"]],
    ['phoneNumbers.value co "0100"', ["u1"]],
    ['addresses[locality eq "oslo" and type eq "WORK"]', ["u3"]],
    ['roles.value eq "admin"', ["u3"]],
    ['roles[value eq "admin"] or emails[primary eq true]', ["u1", "u3", "u4"]],
    ['groups.value eq "g1"', ["u1", "u4"]],
    ['groups eq "G2"', ["u2"]],
    ['groups.display eq "engineering"', ["u1", "u4"]],
    ['groups[display sw "sales" and type eq "direct"]', ["u2"]],
    ["groups pr", ["u1", "u2", "u4"]],
  ])("User %s → %j", async (text, expected) => {
    expect(await ids("User", text)).toEqual(expected);
  });

  it.each([
    ['displayName eq "engineering"', ["g1"]],
    ['displayName eq "Sales and Marketing"', ["g2"]],
    ['members.value eq "u1"', ["g1"]],
    ['members eq "g1"', ["g2"]],
    ['members[type eq "group"]', ["g2"]],
    ['members[type eq "User" and display eq "bob"]', ["g2"]],
    ['members.display co "mega"', ["g1"]],
    ["members pr", ["g1", "g2"]],
    ["not (members pr)", ["g3"]],
    ['id eq "g2" and members eq "u2"', ["g2"]],
    ['id eq "g2" and members eq "u1"', []],
    ['externalId eq "sm"', ["g2"]],
  ])("Group %s → %j", async (text, expected) => {
    expect(await ids("Group", text)).toEqual(expected);
  });

  it("keeps precedence: a or b and c is a or (b and c)", async () => {
    expect(await ids("User", 'userName eq "alice" or userName eq "bob" and active eq true')).toEqual(["u1"]);
    expect(await ids("User", '(userName eq "alice" or userName eq "bob") and active eq false')).toEqual(["u2"]);
  });

  it("never returns another tenant's rows", async () => {
    expect(await ids("User", 'userName eq "alice"', undefined, "t2")).toEqual(["x1"]);
    expect(await ids("User", 'groups.display eq "engineering"', undefined, "t2")).toEqual(["x1"]);
    expect(await ids("Group", 'members eq "u1"', undefined, "t2")).toEqual(["y1"]);
    expect(await ids("User", undefined, undefined, "t2")).toEqual(["x1"]);
    expect(await ids("User", undefined, undefined, "t3")).toEqual([]);
  });
});

describe("attributes that cannot be filtered", () => {
  it.each(["meta.resourceType", "meta.location", "meta.version", "groups.$ref"])("returns invalidFilter for %s", async (path) => {
    const failing = ids("User", `${path} eq "x"`);
    await expect(failing).rejects.toBeInstanceOf(ScimError);
    await expect(failing).rejects.toMatchObject({ code: "invalidFilter", detail: `Invalid filter: "${path}" cannot be used in a filter.` });
  });
});

describe("sorting", () => {
  const sort = (path: string, descending = false, type: ResourceTypeName = "User"): SortSpec => ({ attr: attributeOf(type, path), descending });

  it.each([
    ["userName", false, ["u1", "u2", "u3", "u4", "u5"]],
    ["userName", true, ["u5", "u4", "u3", "u2", "u1"]],
    ["title", false, ["u1", "u3", "u5", "u2", "u4"]],
    ["title", true, ["u5", "u3", "u1", "u4", "u2"]],
    ["active", false, ["u2", "u1", "u4", "u3", "u5"]],
    ["active", true, ["u4", "u1", "u2", "u5", "u3"]],
    ["externalId", false, ["u2", "u1", "u3", "u4", "u5"]],
    ["emails.value", false, ["u1", "u2", "u4", "u3", "u5"]],
    ["emails", true, ["u4", "u2", "u1", "u5", "u3"]],
    ["name.givenName", true, ["u2", "u1", "u5", "u4", "u3"]],
    ["meta.created", true, ["u5", "u4", "u3", "u2", "u1"]],
    ["displayName", false, ["u1", "u4", "u2", "u3", "u5"]],
    [`${enterprise}:department`, false, ["u1", "u5", "u2", "u3", "u4"]],
    ["groups.value", false, ["u1", "u4", "u2", "u3", "u5"]],
  ])("orders by %s (descending %s) with unassigned last and ties by id", async (path, descending, expected) => {
    expect(await ids("User", undefined, sort(path, descending))).toEqual(expected);
  });

  it("uses the primary email's value, not the first element's", async () => {
    const page = await temp.store.read((s) => s.resources.list("User", "t1", { filter: filterOf("User", 'userName eq "dave"'), sort: sort("emails.value"), page: { kind: "cursor", count: 1 } }));
    expect(page.records.map((r) => r.id)).toEqual(["u4"]);
    expect(page.next).toBeUndefined();
    const two = await temp.store.read((s) => s.resources.list("User", "t1", { sort: sort("emails.value"), page: { kind: "cursor", count: 3 } }));
    expect(two.next).toEqual({ sortValue: "dave2@x.example", id: "u4" });
  });

  it("orders groups by members.value (the smallest member id) and by displayName", async () => {
    expect(await ids("Group", undefined, sort("members.value", false, "Group"))).toEqual(["g2", "g1", "g3"]);
    expect(await ids("Group", undefined, sort("displayName", true, "Group"))).toEqual(["g2", "g1", "g3"]);
  });

  it("orders by id when no sort is given", async () => {
    expect(await ids("Group")).toEqual(["g1", "g2", "g3"]);
  });

  it("returns invalidValue for a sort key that is not stored", async () => {
    await expect(ids("User", undefined, sort("meta.version"))).rejects.toMatchObject({ code: "invalidValue" });
  });
});

describe("index paging", () => {
  const page = (startIndex: number, count: number, filter?: string) =>
    temp.store.read((s) => s.resources.list("User", "t1", { page: { kind: "index", startIndex, count }, ...(filter ? { filter: filterOf("User", filter) } : {}) }));

  it("returns count rows from startIndex (1-based) and the total", async () => {
    const result = await page(2, 2);
    expect(result.records.map((r) => r.id)).toEqual(["u2", "u3"]);
    expect(result.totalResults).toBe(5);
    expect(result.next).toBeUndefined();
  });

  it("returns only the total for count=0", async () => {
    const result = await page(1, 0, "active pr");
    expect(result).toEqual({ records: [], totalResults: 3 });
  });

  it("counts a row once for OFFSET when two of its elements match (SQLite EXISTS-join regression)", async () => {
    await createTenants(temp.store, "t3");
    await insertResource(temp.store, "t3", "User", { userName: "b", roles: [{ value: "x" }] }, "v0");
    await insertResource(temp.store, "t3", "User", { userName: "a", roles: [{ value: "x" }, { value: "x", display: "again" }] }, "v1");
    await insertResource(temp.store, "t3", "User", { userName: "c", roles: [{ value: "x" }, { value: "x", display: "again" }, { value: "x", primary: true }] }, "v2");
    const query = (startIndex: number): ListQuery => ({ filter: filterOf("User", 'roles.value eq "x"'), sort: { attr: attributeOf("User", "userName"), descending: false }, page: { kind: "index", startIndex, count: 1 } });
    const pages = [];
    for (const startIndex of [1, 2, 3, 4]) pages.push((await temp.store.read((s) => s.resources.list("User", "t3", query(startIndex)))).records.map((r) => r.id));
    expect(pages).toEqual([["v1"], ["v0"], ["v2"], []]);
  });

  it("returns an empty page beyond the end", async () => {
    expect(await page(6, 10)).toEqual({ records: [], totalResults: 5 });
  });
});

describe("cursor paging", () => {
  const sorts: (SortSpec | undefined)[] = [
    undefined,
    { attr: attributeOf("User", "userName"), descending: false },
    { attr: attributeOf("User", "title"), descending: true },
    { attr: attributeOf("User", "active"), descending: false },
    { attr: attributeOf("User", "emails.value"), descending: true },
    { attr: attributeOf("User", "meta.created"), descending: true },
  ];

  async function walk(count: number, sort: SortSpec | undefined, filter?: string): Promise<{ ids: string[]; totals: number[]; pages: number }> {
    const seen: string[] = [];
    const totals: number[] = [];
    let after: CursorPosition | undefined;
    let pages = 0;
    do {
      const result = await temp.store.read((s) =>
        s.resources.list("User", "t1", { page: { kind: "cursor", count, ...(after ? { after } : {}) }, ...(sort ? { sort } : {}), ...(filter ? { filter: filterOf("User", filter) } : {}) }),
      );
      seen.push(...result.records.map((r) => r.id));
      totals.push(result.totalResults);
      after = result.next;
      pages++;
      if (after) expect(result.records).toHaveLength(count);
    } while (after && pages < 50);
    return { ids: seen, totals, pages };
  }

  it.each(sorts.flatMap((sort) => [1, 2, 3].map((count) => [count, sort] as const)))("walks every row once, in order, with count %i and sort %#", async (count, sort) => {
    const expected = await ids("User", undefined, sort);
    const { ids: walked, totals, pages } = await walk(count, sort);
    expect(walked).toEqual(expected);
    expect(new Set(totals)).toEqual(new Set([5]));
    expect(pages).toBe(Math.ceil(5 / count));
  });

  it("applies the filter on every page and counts the filtered rows", async () => {
    const { ids: walked, totals } = await walk(1, undefined, "title pr");
    expect(walked).toEqual(["u1", "u3", "u5"]);
    expect(new Set(totals)).toEqual(new Set([3]));
  });

  it("reports no next position on the last page", async () => {
    const result = await temp.store.read((s) => s.resources.list("User", "t1", { page: { kind: "cursor", count: 5 } }));
    expect(result.records).toHaveLength(5);
    expect(result.next).toBeUndefined();
  });

  it("continues after the position even when rows were added before it", async () => {
    const first = await temp.store.read((s) => s.resources.list("Group", "t1", { page: { kind: "cursor", count: 2 } }));
    expect(first.next).toEqual({ sortValue: null, id: "g2" });
    await insertResource(temp.store, "t1", "Group", { displayName: "Added" }, "g0");
    const second = await temp.store.read((s) => s.resources.list("Group", "t1", { page: { kind: "cursor", count: 2, after: first.next! } }));
    expect(second.records.map((r) => r.id)).toEqual(["g3"]);
    expect(second.totalResults).toBe(4);
    await temp.store.write((s) => s.resources.delete("Group", "t1", "g0"));
  });
});
