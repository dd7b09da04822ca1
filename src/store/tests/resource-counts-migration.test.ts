import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { copyStore } from "../copy-store.js";
import { openStore } from "../open-store.js";
import { openDatabaseAtMigration } from "../testing/database-at-migration.js";
import { fillInstallation } from "../testing/installation.js";
import { openRawDatabase, type RawDatabase } from "../testing/raw-database.js";
import { openTempSqliteStore, openTempStore } from "../testing/temp-store.js";

/* Migration 0006 on a database that holds users and groups already, and `muster copy` into a new database: resource_counts equals count(*). */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A new database migrated up to 0005-user-key-columns, as a Kysely connection of its own, and its URL; removed after the test. */
async function databaseAt0005(): Promise<{ url: string; db: Kysely<any> }> {
  const old = await openDatabaseAtMigration("0005-user-key-columns");
  cleanups.push(old.remove);
  return old;
}

const at = "2026-01-01T00:00:00.000Z";

/** Tenants a (1,200 users, 3 groups), b (2 users, no groups) and c (nothing), written as 0005 stores them. */
async function insertOldRows(db: Kysely<any>): Promise<void> {
  await db.insertInto("tenants").values(["a", "b", "c"].map((id) => ({ id, slug: id, name: id, created_at: at }))).execute();
  const user = (tenantId: string, i: number) => ({ tenant_id: tenantId, id: `u${i}`, user_name: `u${i}@x.example`, user_name_key: `u${i}@x.example`, created_at: at, last_modified_at: at, version: 1, attributes: JSON.stringify({ userName: `u${i}@x.example` }) });
  for (let start = 0; start < 1200; start += 400) await db.insertInto("users").values(Array.from({ length: 400 }, (_, i) => user("a", start + i))).execute();
  await db.insertInto("users").values([user("b", 0), user("b", 1)]).execute();
  const group = (i: number) => ({ tenant_id: "a", id: `g${i}`, display_name: `G${i}`, display_name_key: `g${i}`, created_at: at, last_modified_at: at, version: 1, attributes: JSON.stringify({ displayName: `G${i}` }) });
  await db.insertInto("groups").values([0, 1, 2].map(group)).execute();
}

/** resource_counts as "tenant/type" → total (summed over the shards of migration 0009), and the same figures by count(*). */
async function countsOf(raw: RawDatabase): Promise<{ stored: Record<string, number>; counted: Record<string, number> }> {
  const stored = await raw.query<{ tenant_id: string; resource_type: string; total: unknown }>(sql`select tenant_id, resource_type, sum(total) as total from resource_counts group by tenant_id, resource_type`);
  const counted = await raw.query<{ tenant_id: string; resource_type: string; total: unknown }>(
    sql`select tenant_id, 'User' as resource_type, count(*) as total from users group by tenant_id union all select tenant_id, 'Group' as resource_type, count(*) as total from groups group by tenant_id`,
  );
  const byKey = (rows: typeof stored) => Object.fromEntries(rows.map((row) => [`${row.tenant_id}/${row.resource_type}`, Number(row.total)]));
  return { stored: byKey(stored), counted: byKey(counted) };
}

describe("migration 0006 (resource counts)", () => {
  it("backfills each tenant's count of existing Users and Groups, and counts on from there", async () => {
    const { url, db } = await databaseAt0005();
    await insertOldRows(db);
    await db.destroy();

    const store = await openStore(url);
    cleanups.push(() => store.close());
    const raw = openRaw(url);
    const { stored, counted } = await countsOf(raw);
    expect(stored).toEqual({ "a/User": 1200, "a/Group": 3, "b/User": 2 });
    expect(stored).toEqual(counted);

    await store.write((s) => s.resources.insert({ tenantId: "c", id: "n1", type: "User", attributes: { userName: "n1@x.example" }, created: at }));
    await store.write((s) => s.resources.delete("User", "a", "u7"));
    expect((await countsOf(raw)).stored).toEqual({ "a/User": 1199, "a/Group": 3, "b/User": 2, "c/User": 1 });
    const page = await store.read((s) => s.resources.list("User", "a", { page: { kind: "index", startIndex: 101, count: 100 } }));
    expect([page.records.length, page.totalResults]).toEqual([100, 1199]);
  });
});

describe("muster copy", () => {
  it("leaves resource_counts to the target's triggers, which count every copied row", async () => {
    const origin = await openTempSqliteStore();
    cleanups.push(() => origin.dispose());
    await fillInstallation(origin.store, { tenants: 2, users: 5 });
    const target = await openTempStore();
    cleanups.push(() => target.dispose());
    await copyStore(origin.store, target.store, { batchSize: 3 });

    const { stored, counted } = await countsOf(openRaw(target.url));
    expect(Object.keys(stored).length).toBeGreaterThan(0);
    expect(stored).toEqual(counted);
    expect(stored).toEqual((await countsOf(openRaw(origin.url))).stored);
  });
});

/** A raw connection closed with the test's other cleanups. */
function openRaw(url: string): RawDatabase {
  const raw = openRawDatabase(url);
  cleanups.push(() => raw.close());
  return raw;
}
