import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTenants, insertResource, openTempStore, type TempStore } from "../testing/temp-store.js";

let temp: TempStore;
const userId = (i: number) => `u${String(i).padStart(4, "0")}`;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
  await temp.store.write(async (s) => {
    for (let i = 0; i < 250; i++) {
      await s.resources.insert({ tenantId: "t1", id: userId(i), type: "User", attributes: { userName: `user${i}@x.example`, ...(i % 2 === 0 ? { displayName: `User ${i}` } : {}) }, created: "2026-01-01T00:00:00.000Z" });
    }
    await s.resources.insert({ tenantId: "t1", id: "g-big", type: "Group", attributes: { displayName: "Big" }, created: "2026-01-01T00:00:00.000Z" });
    await s.resources.insert({ tenantId: "t1", id: "x-small", type: "Group", attributes: { displayName: "Small" }, created: "2026-01-01T00:00:00.000Z" });
    await s.resources.insert({ tenantId: "t1", id: "g-empty", type: "Group", attributes: { displayName: "Empty" }, created: "2026-01-01T00:00:00.000Z" });
    await s.resources.addMembers("t1", "g-big", Array.from({ length: 250 }, (_, i) => ({ value: userId(i), type: "User" as const })));
    await s.resources.addMembers("t1", "g-big", [{ value: "x-small", type: "Group" }]);
    await s.resources.addMembers("t1", "x-small", [{ value: userId(1), type: "User" }]);
    await s.resources.insert({ tenantId: "t2", id: "g-big", type: "Group", attributes: { displayName: "Big" }, created: "2026-01-01T00:00:00.000Z" });
    await s.resources.insert({ tenantId: "t2", id: "x1", type: "User", attributes: { userName: "x1" }, created: "2026-01-01T00:00:00.000Z" });
    await s.resources.addMembers("t2", "g-big", [{ value: "x1", type: "User" }]);
  });
});
afterEach(() => temp.dispose());

describe("pageMembers", () => {
  it("walks a group's members in member-id order, page after page, with current display names", async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await temp.store.read((s) => s.resources.pageMembers("t1", "g-big", { count: 100, ...(after ? { after } : {}) }));
      seen.push(...page.map((m) => m.value));
      if (page.length < 100) break;
      after = page[page.length - 1]!.value;
    }
    expect(seen).toEqual([...Array.from({ length: 250 }, (_, i) => userId(i)), "x-small"]);
    const first = await temp.store.read((s) => s.resources.pageMembers("t1", "g-big", { count: 2 }));
    expect(first).toEqual([
      { value: "u0000", type: "User", display: "User 0" },
      { value: "u0001", type: "User", display: "user1@x.example" },
    ]);
    const last = await temp.store.read((s) => s.resources.pageMembers("t1", "g-big", { after: "u0249", count: 5 }));
    expect(last).toEqual([{ value: "x-small", type: "Group", display: "Small" }]);
  });

  it("never shows another tenant's members of a group with the same id", async () => {
    expect((await temp.store.read((s) => s.resources.pageMembers("t2", "g-big", { count: 10 }))).map((m) => m.value)).toEqual(["x1"]);
    expect(await temp.store.read((s) => s.resources.pageMembers("t2", "x-small", { count: 10 }))).toEqual([]);
  });
});

describe("countMembersOf", () => {
  it("counts the members of several groups at once, zero for empty or unknown groups", async () => {
    const counts = await temp.store.read((s) => s.resources.countMembersOf("t1", ["g-big", "x-small", "g-empty", "nope"]));
    expect(Object.fromEntries(counts)).toEqual({ "g-big": 251, "x-small": 1, "g-empty": 0, nope: 0 });
    expect(Object.fromEntries(await temp.store.read((s) => s.resources.countMembersOf("t2", ["g-big", "x-small"])))).toEqual({ "g-big": 1, "x-small": 0 });
    expect((await temp.store.read((s) => s.resources.countMembersOf("t1", []))).size).toBe(0);
  });
});
