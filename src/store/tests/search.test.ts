import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseFilter } from "../../scim/filter/parse-filter.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import { unwrap } from "../../scim/result.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { registry } from "../../scim/schema/registry.js";
import type { ListQuery } from "../store.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../testing/temp-store.js";

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
  await insertResource(temp.store, "t1", "User", { userName: "alex.ng@example.com", name: { givenName: "Alex", familyName: "Ng" }, emails: [{ value: "alex.ng@example.com", primary: true }], active: true }, "u1");
  await insertResource(temp.store, "t1", "User", { userName: "alexandra@corp.example", displayName: "Alexandra Kim", active: false }, "u2");
  await insertResource(temp.store, "t1", "User", { userName: "sam@example.com", name: { formatted: "Sam Ng" }, active: true }, "u3");
  await insertResource(temp.store, "t2", "User", { userName: "alex@other.example", displayName: "Alex Other" }, "v1");
  await insertResource(temp.store, "t1", "Group", { displayName: "EMEA Sales" }, "g1");
  await insertResource(temp.store, "t1", "Group", { displayName: "Sales Engineering" }, "g2");
  await insertResource(temp.store, "t2", "Group", { displayName: "Sales" }, "h1");
});
afterEach(() => temp.dispose());

async function search(type: ResourceTypeName, words: string[], tenantId = "t1", filter?: string): Promise<{ ids: string[]; total: number }> {
  const query: ListQuery = {
    search: words,
    page: { kind: "cursor", count: 50 },
    ...(filter ? { filter: unwrap(resolveFilter(unwrap(parseFilter(filter)), registry.forType(type))) } : {}),
  };
  const page = await temp.store.read((s) => s.resources.list(type, tenantId, query));
  return { ids: page.records.map((r) => r.id), total: page.totalResults };
}

describe("search in lists", () => {
  it("finds users by the start of a name, userName or email, in any case", async () => {
    expect(await search("User", ["ALEX"])).toEqual({ ids: ["u1", "u2"], total: 2 });
    expect(await search("User", ["kim"])).toEqual({ ids: ["u2"], total: 1 });
    expect(await search("User", ["alex.ng@ex"])).toEqual({ ids: ["u1"], total: 1 });
    expect(await search("User", ["ng"])).toEqual({ ids: ["u1", "u3"], total: 2 });
  });

  it("finds users by email domain", async () => {
    expect((await search("User", ["example.com"])).ids).toEqual(["u1", "u3"]);
    expect((await search("User", ["corp"])).ids).toEqual(["u2"]);
  });

  it("needs every word to match (in any field, in any order)", async () => {
    expect((await search("User", ["ng", "alex"])).ids).toEqual(["u1"]);
    expect((await search("User", ["alex", "nobody"])).ids).toEqual([]);
  });

  it("combines with a SCIM filter", async () => {
    expect(await search("User", ["alex"], "t1", "active eq true")).toEqual({ ids: ["u1"], total: 1 });
  });

  it("does not match inside a word", async () => {
    expect((await search("User", ["lex"])).ids).toEqual([]);
  });

  it("searches groups by words of displayName", async () => {
    expect((await search("Group", ["sales"])).ids).toEqual(["g1", "g2"]);
    expect((await search("Group", ["eng"])).ids).toEqual(["g2"]);
  });

  it("never finds another tenant's resources", async () => {
    expect((await search("User", ["alex"], "t2")).ids).toEqual(["v1"]);
    expect((await search("Group", ["sales"], "t2")).ids).toEqual(["h1"]);
    expect((await search("User", ["other"], "t1")).ids).toEqual([]);
  });

  it("follows updates and deletes", async () => {
    const current = await temp.store.read((s) => s.resources.get("User", "t1", "u3"));
    await temp.store.write((s) =>
      s.resources.update({ tenantId: "t1", id: "u3", type: "User", attributes: { userName: "samuel@example.com", name: { formatted: "Samuel Lee" } }, lastModified: "2026-02-01T00:00:00.000Z", expectedVersion: current!.version }),
    );
    expect((await search("User", ["ng"])).ids).toEqual(["u1"]);
    expect((await search("User", ["lee"])).ids).toEqual(["u3"]);
    await temp.store.write((s) => s.resources.delete("User", "t1", "u1"));
    expect((await search("User", ["alex"])).ids).toEqual(["u2"]);
  });

  it("treats an empty word list as no search", async () => {
    expect((await search("User", [])).total).toBe(3);
  });
});
