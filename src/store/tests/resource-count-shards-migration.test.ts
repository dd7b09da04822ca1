import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../open-store.js";
import { openDatabaseAtMigration } from "../testing/database-at-migration.js";
import { openRawDatabase, type RawDatabase } from "../testing/raw-database.js";

/* Migration 0009 on a database that holds counted users and groups already: each count row becomes shard 0 of its tenant and type, and the sums carry on from there. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const at = "2026-01-01T00:00:00.000Z";

/** Tenants a (20 users, 2 groups, one user deleted) and b (3 users), written as a 0008 database stores them. */
async function insertOldRows(db: Kysely<any>): Promise<void> {
  await db.insertInto("tenants").values([{ id: "a", slug: "a", name: "a", created_at: at }, { id: "b", slug: "b", name: "b", created_at: at }]).execute();
  const user = (tenant: string, i: number) => ({ tenant_id: tenant, id: `${tenant}u${String(i).padStart(2, "0")}`, user_name: `u${i}`, user_name_key: `u${i}`, created_at: at, last_modified_at: at, version: 1, attributes: JSON.stringify({ userName: `u${i}` }) });
  await db.insertInto("users").values(Array.from({ length: 20 }, (_, i) => user("a", i))).execute();
  await db.insertInto("users").values(Array.from({ length: 3 }, (_, i) => user("b", i))).execute();
  const group = (i: number) => ({ tenant_id: "a", id: `g${i}`, display_name: `G${i}`, display_name_key: `g${i}`, created_at: at, last_modified_at: at, version: 1, attributes: JSON.stringify({ displayName: `G${i}` }) });
  await db.insertInto("groups").values([group(0), group(1)]).execute();
  await db.deleteFrom("users").where("tenant_id", "=", "a").where("id", "=", "au05").execute();
}

/** "tenant/type" → summed total and revision, and the shards holding them. */
async function countsOf(raw: RawDatabase): Promise<Record<string, { total: number; revision: number; shards: number[] }>> {
  const rows = await raw.query<{ tenant_id: string; resource_type: string; shard: unknown; total: unknown; revision: unknown }>(sql`select tenant_id, resource_type, shard, total, revision from resource_counts order by tenant_id, resource_type, shard`);
  const counts: Record<string, { total: number; revision: number; shards: number[] }> = {};
  for (const row of rows) {
    const entry = (counts[`${row.tenant_id}/${row.resource_type}`] ??= { total: 0, revision: 0, shards: [] });
    entry.total += Number(row.total);
    entry.revision += Number(row.revision);
    entry.shards.push(Number(row.shard));
  }
  return counts;
}

describe("migration 0009 (resource count shards)", () => {
  it("keeps every tenant's totals and revisions in shard 0, then counts on from them", async () => {
    const old = await openDatabaseAtMigration("0008-audit-events");
    cleanups.push(old.remove);
    await insertOldRows(old.db);
    await old.db.destroy();

    const store = await openStore(old.url);
    cleanups.push(() => store.close());
    const raw = openRawDatabase(old.url);
    cleanups.push(() => raw.close());
    expect(await countsOf(raw)).toEqual({
      "a/Group": { total: 2, revision: 2, shards: [0] },
      "a/User": { total: 19, revision: 21, shards: [0] },
      "b/User": { total: 3, revision: 3, shards: [0] },
    });

    await store.write((s) => s.resources.insert({ tenantId: "a", id: "au99", type: "User", attributes: { userName: "u99" }, created: at }));
    await store.write((s) => s.resources.delete("User", "a", "au07"));
    await store.write((s) => s.resources.delete("Group", "a", "g1"));
    const after = await countsOf(raw);
    expect(after["a/User"]).toMatchObject({ total: 19, revision: 23 });
    expect(after["a/Group"]).toMatchObject({ total: 1, revision: 3 });
    const page = await store.read((s) => s.resources.list("User", "a", { page: { kind: "index", startIndex: 1, count: 5 } }));
    expect(page.totalResults).toBe(19);

    // A tenant's deletion still takes its count rows with it.
    expect(await store.write((s) => s.tenants.delete("b"))).toBe(true);
    expect(Object.keys(await countsOf(raw)).sort()).toEqual(["a/Group", "a/User"]);
  });
});
