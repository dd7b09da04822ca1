import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseFilter } from "../../scim/filter/parse-filter.js";
import type { ResolvedFilter } from "../../scim/filter/resolved.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import { unwrap } from "../../scim/result.js";
import { registry } from "../../scim/schema/registry.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../testing/temp-store.js";

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
  await insertResource(temp.store, "t1", "User", { userName: "ann@x.example", displayName: "Ann Archer" }, "u1");
  await insertResource(temp.store, "t1", "User", { userName: "bob@x.example" }, "u2");
  await insertResource(temp.store, "t1", "User", { userName: "cy@x.example", displayName: "" }, "u3");
  await insertResource(temp.store, "t1", "Group", { displayName: "Engineering" }, "g1");
  await insertResource(temp.store, "t1", "Group", { displayName: "Staff" }, "g2");
  await insertResource(temp.store, "t2", "User", { userName: "eve@y.example" }, "v1");
  await insertResource(temp.store, "t2", "Group", { displayName: "Other" }, "h1");
});
afterEach(() => temp.dispose());

/** The inner filter of `members[<text>]`, as the PATCH engine hands it to removeMembersWhere. */
function memberFilter(text: string): ResolvedFilter {
  const resolved = unwrap(resolveFilter(unwrap(parseFilter(`members[${text}]`)), registry.forType("Group")));
  if (resolved.kind !== "valuePath") throw new Error("expected a value path");
  return resolved.filter;
}

const members = (groupId: string, tenantId = "t1") => temp.store.read(async (s) => (await s.resources.membersOf(tenantId, [groupId])).get(groupId));

describe("addFoundMembers", () => {
  it("adds the tenant's users and groups that are not members yet, and tells what each is", async () => {
    await temp.store.write((s) => s.resources.addMembers("t1", "g2", [{ value: "u2", type: "User" }]));
    const added = await temp.store.write((s) => s.resources.addFoundMembers("t1", "g2", ["u1", "g1", "u2", "u1", "v1", "h1", "nobody"]));
    expect(added).toEqual(new Map([["u1", "User"], ["g1", "Group"]]));
    expect((await members("g2"))?.map((member) => [member.value, member.type])).toEqual([["g1", "Group"], ["u1", "User"], ["u2", "User"]]);
    expect(await temp.store.write((s) => s.resources.addFoundMembers("t1", "g2", []))).toEqual(new Map());
  });

  it("adds thousands of members in one statement", async () => {
    const ids = Array.from({ length: 3_000 }, (_, i) => `m${String(i).padStart(4, "0")}`);
    await temp.store.write(async (s) => {
      for (const id of ids) await s.resources.insert({ tenantId: "t1", id, type: "User", attributes: { userName: id }, created: "2026-01-01T00:00:00.000Z" });
    });
    const added = await temp.store.write((s) => s.resources.addFoundMembers("t1", "g1", ids));
    expect(added.size).toBe(3_000);
    expect(await temp.store.read((s) => s.resources.countMembers("t1", "g1"))).toBe(3_000);
  });
});

describe("addMembers", () => {
  it("adds members once and reports how many rows were new", async () => {
    const first = await temp.store.write((s) => s.resources.addMembers("t1", "g2", [{ value: "u1", type: "User" }, { value: "g1", type: "Group" }]));
    const again = await temp.store.write((s) => s.resources.addMembers("t1", "g2", [{ value: "u1", type: "User" }, { value: "u2", type: "User" }, { value: "u2", type: "User" }]));
    expect(first).toBe(2);
    expect(again).toBe(1);
    expect(await temp.store.read((s) => s.resources.countMembers("t1", "g2"))).toBe(3);
  });

  it("handles a group of 20,000 members as rows", async () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `m${String(i).padStart(5, "0")}`);
    await temp.store.write(async (s) => {
      for (const id of ids.slice(0, 200)) await s.resources.insert({ tenantId: "t1", id, type: "User", attributes: { userName: id }, created: "2026-01-01T00:00:00.000Z" });
    });
    const added = await temp.store.write((s) => s.resources.addMembers("t1", "g1", ids.map((value) => ({ value, type: "User" as const }))));
    expect(added).toBe(20_000);
    expect(await temp.store.read((s) => s.resources.countMembers("t1", "g1"))).toBe(20_000);
    const removed = await temp.store.write((s) => s.resources.removeMembers("t1", "g1", ids.slice(0, 15_000)));
    expect(removed).toBe(15_000);
    const left = await members("g1");
    expect(left?.map((m) => m.value)).toEqual(ids.slice(15_000));
  });
});

describe("membersOf and groupsOf", () => {
  beforeEach(async () => {
    await temp.store.write((s) => s.resources.addMembers("t1", "g2", [{ value: "u3", type: "User" }, { value: "u1", type: "User" }, { value: "g1", type: "Group" }, { value: "u2", type: "User" }]));
    await temp.store.write((s) => s.resources.addMembers("t1", "g1", [{ value: "u1", type: "User" }]));
  });

  it("lists members by id with the current display: displayName, else userName, or the group's displayName", async () => {
    expect(await members("g2")).toEqual([
      { value: "g1", type: "Group", display: "Engineering" },
      { value: "u1", type: "User", display: "Ann Archer" },
      { value: "u2", type: "User", display: "bob@x.example" },
      { value: "u3", type: "User", display: "cy@x.example" },
    ]);
  });

  it("derives display at read time, so a rename shows without touching the membership", async () => {
    await temp.store.write((s) => s.resources.update({ tenantId: "t1", id: "g1", type: "Group", attributes: { displayName: "R&D" }, lastModified: "2026-02-01T00:00:00.000Z", expectedVersion: 1 }));
    expect((await members("g2"))?.[0]).toEqual({ value: "g1", type: "Group", display: "R&D" });
    expect((await temp.store.read((s) => s.resources.groupsOf("t1", ["g1"]))).get("g1")).toEqual([{ value: "g2", display: "Staff" }]);
  });

  it("returns an entry for every requested id, empty when it has none", async () => {
    const result = await temp.store.read((s) => s.resources.membersOf("t1", ["g1", "g2", "missing"]));
    expect([...result.keys()]).toEqual(["g1", "g2", "missing"]);
    expect(result.get("missing")).toEqual([]);
    expect(result.get("g1")).toEqual([{ value: "u1", type: "User", display: "Ann Archer" }]);
  });

  it("lists the direct groups of users, ordered by group id", async () => {
    const result = await temp.store.read((s) => s.resources.groupsOf("t1", ["u1", "u2", "nobody"]));
    expect(result.get("u1")).toEqual([
      { value: "g1", display: "Engineering" },
      { value: "g2", display: "Staff" },
    ]);
    expect(result.get("u2")).toEqual([{ value: "g2", display: "Staff" }]);
    expect(result.get("nobody")).toEqual([]);
  });

  it("never shows another tenant's rows", async () => {
    expect((await temp.store.read((s) => s.resources.membersOf("t2", ["g2"]))).get("g2")).toEqual([]);
    expect((await temp.store.read((s) => s.resources.groupsOf("t2", ["u1"]))).get("u1")).toEqual([]);
    expect(await temp.store.read((s) => s.resources.countMembers("t2", "g2"))).toBe(0);
    expect(await temp.store.write((s) => s.resources.removeMembers("t2", "g2", ["u1"]))).toBe(0);
    expect(await temp.store.write((s) => s.resources.clearMembers("t2", "g2"))).toBe(0);
    expect(await temp.store.write((s) => s.resources.removeMembersWhere("t2", "g2", memberFilter('type eq "User"')))).toBe(0);
    expect(await temp.store.read((s) => s.resources.countMembers("t1", "g2"))).toBe(4);
  });
});

describe("removing members", () => {
  beforeEach(async () => {
    await temp.store.write((s) => s.resources.addMembers("t1", "g2", [{ value: "u1", type: "User" }, { value: "u2", type: "User" }, { value: "u3", type: "User" }, { value: "g1", type: "Group" }]));
  });

  it("removes listed ids and ignores absent ones", async () => {
    expect(await temp.store.write((s) => s.resources.removeMembers("t1", "g2", ["u1", "nope", "u1"]))).toBe(1);
    expect((await members("g2"))?.map((m) => m.value)).toEqual(["g1", "u2", "u3"]);
  });

  it.each([
    ['value eq "u2"', ["g1", "u1", "u3"]],
    ['type eq "group"', ["u1", "u2", "u3"]],
    ['display co "ARCHER"', ["g1", "u2", "u3"]],
    ['display sw "bob@"', ["g1", "u1", "u3"]],
    ['type eq "User" and not (display ew ".example")', ["g1", "u2", "u3"]],
    ['value eq "u1" or value eq "u3"', ["g1", "u2"]],
    ["display pr", []],
  ])("removeMembersWhere %s leaves %j", async (text, left) => {
    const filter = memberFilter(text);
    const removed = await temp.store.write((s) => s.resources.removeMembersWhere("t1", "g2", filter));
    expect((await members("g2"))?.map((m) => m.value)).toEqual(left);
    expect(removed).toBe(4 - left.length);
  });

  it("clears every member of one group only", async () => {
    await temp.store.write((s) => s.resources.addMembers("t1", "g1", [{ value: "u1", type: "User" }]));
    expect(await temp.store.write((s) => s.resources.clearMembers("t1", "g2"))).toBe(4);
    expect(await temp.store.read((s) => s.resources.countMembers("t1", "g2"))).toBe(0);
    expect(await temp.store.read((s) => s.resources.countMembers("t1", "g1"))).toBe(1);
  });
});

describe("findMembers", () => {
  it("names each id of the tenant as User or Group and omits other tenants' ids", async () => {
    const found = await temp.store.read((s) => s.resources.findMembers("t1", ["u1", "g1", "v1", "h1", "zzz", "u1"]));
    expect(found).toEqual(new Map([["u1", "User"], ["g1", "Group"]]));
    expect(await temp.store.read((s) => s.resources.findMembers("t2", ["u1", "v1"]))).toEqual(new Map([["v1", "User"]]));
    expect(await temp.store.read((s) => s.resources.findMembers("t1", []))).toEqual(new Map());
  });
});
