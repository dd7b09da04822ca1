import fc from "fast-check";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { ListQuery } from "../store.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../testing/temp-store.js";

/* resource_counts (migrations 0006 and 0009): each tenant's number of Users and Groups, kept by triggers in one or more shard rows, read by unfiltered lists. */

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
});
afterEach(() => temp.dispose());

/** What resource_counts holds for a tenant, summed over its shards, read straight from the database (no row: undefined). */
async function stored(tenantId: string): Promise<Partial<Record<ResourceTypeName, number>>> {
  const rows = await temp.raw<{ resource_type: ResourceTypeName; total: unknown }>(sql`select resource_type, sum(total) as total from resource_counts where tenant_id = ${tenantId} group by resource_type`);
  return Object.fromEntries(rows.map((row) => [row.resource_type, Number(row.total)]));
}

/** count(*) of a tenant's users and groups. */
async function counted(tenantId: string): Promise<Record<ResourceTypeName, number>> {
  const count = async (table: string) => Number((await temp.raw<{ n: unknown }>(sql`select count(*) as n from ${sql.table(table)} where tenant_id = ${tenantId}`))[0]!.n);
  return { User: await count("users"), Group: await count("groups") };
}

async function addUsers(tenantId: string, n: number, prefix = "u"): Promise<void> {
  for (let i = 0; i < n; i++) await insertResource(temp.store, tenantId, "User", { userName: `${prefix}${i}@${tenantId}.example` }, `${tenantId}-${prefix}${i}`);
}

const firstPage = (count: number): ListQuery => ({ page: { kind: "index", startIndex: 1, count } });

describe("resource counts", () => {
  it("counts each tenant's inserted Users and Groups separately", async () => {
    await addUsers("t1", 3);
    await addUsers("t2", 1);
    await insertResource(temp.store, "t1", "Group", { displayName: "Staff" }, "t1-g1");
    expect(await stored("t1")).toEqual({ User: 3, Group: 1 });
    expect(await stored("t2")).toEqual({ User: 1 });
  });

  it("counts down when Users and Groups are deleted", async () => {
    await addUsers("t1", 3);
    await insertResource(temp.store, "t1", "Group", { displayName: "Staff" }, "t1-g1");
    await temp.store.write(async (s) => {
      expect(await s.resources.delete("User", "t1", "t1-u1")).toBe(true);
      expect(await s.resources.delete("Group", "t1", "t1-g1")).toBe(true);
      expect(await s.resources.delete("User", "t1", "t1-nobody")).toBe(false);
    });
    expect(await stored("t1")).toEqual({ User: 2, Group: 0 });
  });

  it("keeps the count when an insert fails on uniqueness and its transaction rolls back", async () => {
    await addUsers("t1", 2);
    const failing = temp.store.write(async (s) => {
      await s.resources.insert({ tenantId: "t1", id: "t1-new", type: "User", attributes: { userName: "new@t1.example" }, created: "2026-01-02T00:00:00.000Z" });
      await s.resources.insert({ tenantId: "t1", id: "t1-dup", type: "User", attributes: { userName: "U0@T1.example" }, created: "2026-01-02T00:00:00.000Z" });
    });
    await expect(failing).rejects.toMatchObject({ code: "uniqueness" });
    expect(await stored("t1")).toEqual({ User: 2 });
    expect(await counted("t1")).toEqual({ User: 2, Group: 0 });
  });

  it("drops a deleted tenant's counts and leaves other tenants' alone", async () => {
    await addUsers("t1", 2);
    await addUsers("t2", 3);
    await insertResource(temp.store, "t1", "Group", { displayName: "Staff" }, "t1-g1");
    expect(await temp.store.write((s) => s.tenants.delete("t1"))).toBe(true);
    expect(await stored("t1")).toEqual({});
    expect(await stored("t2")).toEqual({ User: 3 });
  });

  it("equals count(*) after any sequence of inserts and deletes", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ type: fc.constantFrom<ResourceTypeName>("User", "Group"), add: fc.boolean(), slot: fc.nat(5) }), { maxLength: 25 }), async (steps) => {
        const tenantId = `p${run++}`;
        await createTenants(temp.store, tenantId);
        for (const { type, add, slot } of steps) {
          const id = `${tenantId}-${type}-${slot}`;
          await temp.store.write(async (s) => {
            const exists = (await s.resources.get(type, tenantId, id)) !== undefined;
            if (!add) await s.resources.delete(type, tenantId, id);
            else if (!exists) await s.resources.insert({ tenantId, id, type, attributes: type === "User" ? { userName: id } : { displayName: id }, created: "2026-01-02T00:00:00.000Z" });
          });
        }
        const { User, Group } = await stored(tenantId);
        expect({ User: User ?? 0, Group: Group ?? 0 }).toEqual(await counted(tenantId));
      }),
      { numRuns: 15 },
    );
  });
});

describe("resource count revisions", () => {
  /** resource_counts.revision of a tenant's Users and Groups, summed over the shards (undefined: no row). */
  async function revisions(tenantId: string): Promise<Partial<Record<ResourceTypeName, number>>> {
    const rows = await temp.raw<{ resource_type: ResourceTypeName; revision: unknown }>(sql`select resource_type, sum(revision) as revision from resource_counts where tenant_id = ${tenantId} group by resource_type`);
    return Object.fromEntries(rows.map((row) => [row.resource_type, Number(row.revision)]));
  }

  it("go up with every insert and delete of the tenant's Users or Groups, and never with an update", async () => {
    await addUsers("t1", 3);
    await insertResource(temp.store, "t1", "Group", { displayName: "Staff" }, "t1-g1");
    expect(await revisions("t1")).toEqual({ User: 3, Group: 1 });
    await temp.store.write(async (s) => {
      const user = await s.resources.get("User", "t1", "t1-u0");
      await s.resources.update({ tenantId: "t1", id: "t1-u0", type: "User", attributes: { userName: "renamed@t1.example" }, lastModified: "2026-01-03T00:00:00.000Z", expectedVersion: user!.version });
      await s.resources.addMembers("t1", "t1-g1", [{ value: "t1-u1", type: "User" }]);
    });
    expect(await revisions("t1")).toEqual({ User: 3, Group: 1 });
    await temp.store.write((s) => s.resources.delete("User", "t1", "t1-u2"));
    await addUsers("t1", 1, "v");
    expect(await revisions("t1")).toEqual({ User: 5, Group: 1 });
    expect(await stored("t1")).toEqual({ User: 3, Group: 1 });
    expect(await revisions("t2")).toEqual({});
  });

  it("count every row of a statement that inserts or deletes many", async () => {
    await addUsers("t1", 4);
    await temp.raw(sql`delete from users where tenant_id = 't1' and id in ('t1-u0', 't1-u1', 't1-u2')`);
    expect(await revisions("t1")).toEqual({ User: 7 });
    expect(await stored("t1")).toEqual({ User: 1 });
  });
});

describe("unfiltered lists", () => {
  it("report totalResults equal to the tenant's count on every page", async () => {
    await addUsers("t1", 7);
    await addUsers("t2", 2);
    for (const startIndex of [1, 3, 7, 8, 20]) {
      const page = await temp.store.read((s) => s.resources.list("User", "t1", { page: { kind: "index", startIndex, count: 2 } }));
      expect(page.totalResults, `startIndex ${startIndex}`).toBe(7);
    }
    const first = await temp.store.read((s) => s.resources.list("User", "t1", { page: { kind: "cursor", count: 3 } }));
    const second = await temp.store.read((s) => s.resources.list("User", "t1", { page: { kind: "cursor", count: 3, after: first.next! } }));
    expect([first.totalResults, second.totalResults]).toEqual([7, 7]);
    expect(await temp.store.read((s) => s.resources.list("Group", "t1", firstPage(0)))).toEqual({ records: [], totalResults: 0 });
    expect((await temp.store.read((s) => s.resources.list("User", "t1", firstPage(0)))).totalResults).toBe(7);
  });

  it("read totalResults from resource_counts rather than counting the rows", async () => {
    await addUsers("t1", 5);
    // A count the rows cannot produce shows where the figure comes from.
    await temp.raw(sql`update resource_counts set total = total + 995 where tenant_id = 't1' and resource_type = 'User' and shard = (select min(shard) from resource_counts where tenant_id = 't1' and resource_type = 'User')`);
    expect((await temp.store.read((s) => s.resources.list("User", "t1", { page: { kind: "index", startIndex: 3, count: 2 } }))).totalResults).toBe(1000);
    // Every page of a read, the short first page too, takes it from there (the same snapshot as the rows);
    // a write session's short first page tells its own total; a search still counts.
    expect((await temp.store.read((s) => s.resources.list("User", "t1", firstPage(10)))).totalResults).toBe(1000);
    expect((await temp.store.write((s) => s.resources.list("User", "t1", firstPage(10)))).totalResults).toBe(5);
    expect((await temp.store.read((s) => s.resources.list("User", "t1", { search: ["u1"], page: { kind: "index", startIndex: 1, count: 0 } }))).totalResults).toBe(1);
  });
});
