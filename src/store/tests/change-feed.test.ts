import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JsonObject } from "../../scim/json.js";
import { compareFeedPositions, type ChangeRecord, type FeedPosition } from "../store.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../testing/temp-store.js";

/* The change feed (migration 0010): triggers record every write to users, groups and memberships in the writing transaction. */

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
});
afterEach(() => temp.dispose());

const later = "2026-02-03T04:05:06.789Z";

async function feed(tenantId = "t1", after?: FeedPosition, limit = 1000): Promise<ChangeRecord[]> {
  return temp.store.read((s) => s.changes.read(tenantId, after, limit));
}

/** The changes without their positions and times, for comparing with what a test expects. */
function summary(changes: readonly ChangeRecord[]): unknown[] {
  return changes.map(({ position: _position, at: _at, tenantId: _tenant, ...rest }) => rest);
}

async function update(type: "User" | "Group", id: string, attributes: JsonObject): Promise<void> {
  await temp.store.write(async (s) => {
    const current = await s.resources.get(type, "t1", id);
    await s.resources.update({ tenantId: "t1", id, type, attributes, lastModified: later, expectedVersion: current!.version, previous: current!.attributes });
  });
}

describe("change feed", () => {
  it("records a create with its document, an update with the names it changed, and a delete with the document before it", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "ada@t1.example", name: { givenName: "Ada" }, title: "Eng" }, "u1");
    await update("User", "u1", { userName: "ada@t1.example", name: { givenName: "Ada", familyName: "L" }, active: false });
    await temp.store.write((s) => s.resources.delete("User", "t1", "u1"));
    const changes = await feed();
    expect(summary(changes)).toEqual([
      { resourceType: "User", resourceId: "u1", action: "created", document: { userName: "ada@t1.example", name: { givenName: "Ada" }, title: "Eng" } },
      { resourceType: "User", resourceId: "u1", action: "updated", changed: ["active", "name", "title"], document: { userName: "ada@t1.example", name: { givenName: "Ada", familyName: "L" }, active: false } },
      { resourceType: "User", resourceId: "u1", action: "deleted", document: { userName: "ada@t1.example", name: { givenName: "Ada", familyName: "L" }, active: false } },
    ]);
    expect(changes[0]!.at).toBe("2026-01-02T03:04:05.678Z");
    expect(changes[1]!.at).toBe(later);
    expect(changes[2]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("records nothing for an update that leaves the attributes as they were, nor for a version bump", async () => {
    await insertResource(temp.store, "t1", "Group", { displayName: "Staff" }, "g1");
    await update("Group", "g1", { displayName: "Staff" });
    await temp.store.write((s) => s.resources.touch("Group", "t1", "g1", later));
    expect(summary(await feed())).toEqual([{ resourceType: "Group", resourceId: "g1", action: "created", document: { displayName: "Staff" } }]);
  });

  it("records one change per member added or removed, a statement's changes together", async () => {
    await insertResource(temp.store, "t1", "Group", { displayName: "Staff" }, "g1");
    for (const id of ["u3", "u1", "u2"]) await insertResource(temp.store, "t1", "User", { userName: `${id}@t1.example` }, id);
    const before = (await feed()).at(-1)!.position;
    await temp.store.write((s) => s.resources.addFoundMembers("t1", "g1", ["u3", "u1", "u2", "missing"]));
    await temp.store.write((s) => s.resources.removeMembers("t1", "g1", ["u2"]));
    await temp.store.write((s) => s.resources.clearMembers("t1", "g1"));
    const changes = summary(await feed("t1", before)) as { member: { value: string } }[];
    const member = (action: string, value: string) => ({ resourceType: "Group", resourceId: "g1", action, member: { value, type: "User" } });
    const byMember = (list: typeof changes) => [...list].sort((a, b) => a.member.value.localeCompare(b.member.value));
    expect(byMember(changes.slice(0, 3))).toEqual([member("member_added", "u1"), member("member_added", "u2"), member("member_added", "u3")]);
    expect(changes[3]).toEqual(member("member_removed", "u2"));
    expect(byMember(changes.slice(4))).toEqual([member("member_removed", "u1"), member("member_removed", "u3")]);
    expect(changes).toHaveLength(6);
  });

  it("records a group's deletion without a removal per member, and a user's deletion with one removal per group it was in", async () => {
    await insertResource(temp.store, "t1", "Group", { displayName: "Parent" }, "g0");
    await insertResource(temp.store, "t1", "Group", { displayName: "Staff" }, "g1");
    await insertResource(temp.store, "t1", "User", { userName: "a@t1.example" }, "u1");
    await insertResource(temp.store, "t1", "User", { userName: "b@t1.example" }, "u2");
    await temp.store.write(async (s) => {
      await s.resources.addMembers("t1", "g1", [{ value: "u1", type: "User" }, { value: "u2", type: "User" }]);
      await s.resources.addMembers("t1", "g0", [{ value: "g1", type: "Group" }, { value: "u1", type: "User" }]);
    });
    const before = (await feed()).at(-1)!.position;
    await temp.store.write((s) => s.resources.delete("Group", "t1", "g1"));
    await temp.store.write((s) => s.resources.delete("User", "t1", "u1"));
    expect(summary(await feed("t1", before)).map((change) => JSON.stringify(change, ["resourceId", "action", "member", "value"]))).toEqual([
      JSON.stringify({ resourceId: "g0", action: "member_removed", member: { value: "g1" } }),
      JSON.stringify({ resourceId: "g1", action: "deleted" }),
      JSON.stringify({ resourceId: "g0", action: "member_removed", member: { value: "u1" } }),
      JSON.stringify({ resourceId: "u1", action: "deleted" }),
    ]);
  });

  it("records nothing for a write that rolls back", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "a@t1.example" }, "u1");
    await expect(
      temp.store.write(async (s) => {
        await s.resources.insert({ tenantId: "t1", id: "u2", type: "User", attributes: { userName: "b@t1.example" }, created: later });
        await s.resources.insert({ tenantId: "t1", id: "u3", type: "User", attributes: { userName: "A@T1.example" }, created: later });
      }),
    ).rejects.toThrow();
    expect((await feed()).map((change) => change.resourceId)).toEqual(["u1"]);
  });

  it("keeps each tenant's feed to itself and pages it from a position", async () => {
    for (let i = 0; i < 7; i++) await insertResource(temp.store, "t1", "User", { userName: `u${i}@t1.example` }, `t1-u${i}`);
    await insertResource(temp.store, "t2", "User", { userName: "x@t2.example" }, "t2-u0");
    const pages: string[][] = [];
    let after: FeedPosition | undefined;
    for (;;) {
      const page = await feed("t1", after, 3);
      if (page.length === 0) break;
      pages.push(page.map((change) => change.resourceId));
      after = page.at(-1)!.position;
    }
    expect(pages).toEqual([["t1-u0", "t1-u1", "t1-u2"], ["t1-u3", "t1-u4", "t1-u5"], ["t1-u6"]]);
    expect((await feed("t2")).map((change) => change.resourceId)).toEqual(["t2-u0"]);
    const head = await temp.store.read((s) => s.changes.head("t1"));
    expect(head).toEqual(after);
    expect(await temp.store.read((s) => s.changes.head("nobody"))).toBeUndefined();
    expect((await temp.store.read((s) => s.changes.oldest("t1")))?.seq).toBe((await feed("t1", undefined, 1))[0]!.position.seq);
  });

  it("counts the changes after a position up to a cap, per tenant", async () => {
    for (let i = 0; i < 6; i++) await insertResource(temp.store, "t1", "User", { userName: `u${i}@t1.example` }, `t1-u${i}`);
    await insertResource(temp.store, "t2", "User", { userName: "x@t2.example" }, "t2-u0");
    const count = (after: FeedPosition | undefined, cap: number, tenantId = "t1") => temp.store.read((s) => s.changes.countAfter(tenantId, after, cap));
    expect(await count(undefined, 100)).toBe(6);
    expect(await count(undefined, 4)).toBe(4);
    expect(await count(undefined, 0)).toBe(0);
    const second = (await feed("t1", undefined, 2)).at(-1)!.position;
    expect(await count(second, 100)).toBe(4);
    expect(await count(second, 3)).toBe(3);
    expect(await count(await temp.store.read((s) => s.changes.head("t1")), 100)).toBe(0);
    expect(await count(undefined, 100, "t2")).toBe(1);
    expect(await count(undefined, 100, "nobody")).toBe(0);
    await expect(count({ txid: "0", seq: "x" }, 10)).rejects.toThrow(/seq must be a non-negative integer/);
  });

  it("refuses a position that is not an integer instead of binding it", async () => {
    await expect(feed("t1", { txid: "0", seq: "1; drop table changes" })).rejects.toThrow(/seq must be a non-negative integer/);
  });

  it("records nothing when a tenant is deleted, and its changes and checkpoints go with it", async () => {
    await insertResource(temp.store, "t1", "Group", { displayName: "Staff" }, "g1");
    await insertResource(temp.store, "t1", "User", { userName: "a@t1.example" }, "u1");
    await insertResource(temp.store, "t2", "User", { userName: "a@t2.example" }, "t2-u1");
    await temp.store.write((s) => s.resources.addMembers("t1", "g1", [{ value: "u1", type: "User" }]));
    await temp.store.write((s) => s.changes.saveCheckpoint("t1", "app:1", { txid: "0", seq: "1" }, later));
    await temp.store.write((s) => s.tenants.delete("t1"));
    const rows = await temp.raw<{ tenant_id: string }>(sql`select tenant_id from changes`);
    expect(rows.map((row) => row.tenant_id)).toEqual(["t2"]);
    expect(await temp.raw(sql`select * from feed_checkpoints`)).toEqual([]);
  });

  it("keeps consumers' checkpoints", async () => {
    const changes = temp.store;
    expect(await changes.read((s) => s.changes.checkpoint("t1", "app:1"))).toBeUndefined();
    await changes.write((s) => s.changes.saveCheckpoint("t1", "app:1", { txid: "0", seq: "5" }, later));
    await changes.write((s) => s.changes.saveCheckpoint("t1", "app:1", { txid: "4294967296123", seq: "9" }, later));
    expect(await changes.read((s) => s.changes.checkpoint("t1", "app:1"))).toEqual({ txid: "4294967296123", seq: "9" });
    expect(await changes.read((s) => s.changes.checkpoint("t2", "app:1"))).toBeUndefined();
    expect(await changes.write((s) => s.changes.deleteCheckpoint("t1", "app:1"))).toBe(true);
    expect(await changes.write((s) => s.changes.deleteCheckpoint("t1", "app:1"))).toBe(false);
  });

  it("prunes a tenant's changes recorded before a time, oldest first, at most a limit at a time, and remembers where it got to", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "old1@t1.example" }, "old1", "2026-01-01T00:00:00.000Z");
    await insertResource(temp.store, "t1", "User", { userName: "old2@t1.example" }, "old2", "2026-01-01T00:00:01.000Z");
    await insertResource(temp.store, "t2", "User", { userName: "old@t2.example" }, "t2-old", "2026-01-01T00:00:01.000Z");
    await insertResource(temp.store, "t1", "User", { userName: "new@t1.example" }, "new", "2026-03-01T00:00:00.000Z");
    const positions = (await feed("t1")).map((change) => change.position);
    expect(await temp.store.read((s) => s.changes.pruned("t1"))).toBeUndefined();
    expect(await temp.store.write((s) => s.changes.prune("t1", "2026-02-01T00:00:00.000Z", 1))).toBe(1);
    expect(await temp.store.read((s) => s.changes.pruned("t1"))).toEqual(positions[0]);
    expect(await temp.store.write((s) => s.changes.prune("t1", "2026-02-01T00:00:00.000Z", 10))).toBe(1);
    expect(await temp.store.read((s) => s.changes.pruned("t1"))).toEqual(positions[1]);
    expect((await feed("t1")).map((change) => change.resourceId)).toEqual(["new"]);
    expect((await feed("t2")).map((change) => change.resourceId)).toEqual(["t2-old"]);
    expect(compareFeedPositions(positions[1]!, positions[2]!)).toBeLessThan(0);
    expect(compareFeedPositions(positions[2]!, positions[2]!)).toBe(0);
    // Positions are never reused after pruning: a consumer's checkpoint stays behind every new change.
    const last = (await feed("t1")).at(-1)!.position;
    await temp.store.write((s) => s.changes.prune("t1", "2027-01-01T00:00:00.000Z", 10));
    await insertResource(temp.store, "t1", "User", { userName: "newer@t1.example" }, "newer", "2026-03-02T00:00:00.000Z");
    expect((await feed("t1", last)).map((change) => change.resourceId)).toEqual(["newer"]);
  });
});
