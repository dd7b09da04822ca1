import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../open-store.js";
import { openDatabaseAtMigration } from "../testing/database-at-migration.js";
import { openRawDatabase, type RawDatabase } from "../testing/raw-database.js";

/* Migration 0007 on a database that holds users and groups already: resource_counts gains a revision that starts at 0 and moves with every insert and delete from then on. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const at = "2026-01-01T00:00:00.000Z";

/** Tenant a with 30 users and 2 groups, written as a 0006 database stores them (its triggers count them). */
async function insertOldRows(db: Kysely<any>): Promise<void> {
  await db.insertInto("tenants").values({ id: "a", slug: "a", name: "a", created_at: at }).execute();
  const user = (i: number) => ({ tenant_id: "a", id: `u${String(i).padStart(2, "0")}`, user_name: `u${i}@x.example`, user_name_key: `u${i}@x.example`, created_at: at, last_modified_at: at, version: 1, attributes: JSON.stringify({ userName: `u${i}@x.example` }) });
  await db.insertInto("users").values(Array.from({ length: 30 }, (_, i) => user(i))).execute();
  const group = (i: number) => ({ tenant_id: "a", id: `g${i}`, display_name: `G${i}`, display_name_key: `g${i}`, created_at: at, last_modified_at: at, version: 1, attributes: JSON.stringify({ displayName: `G${i}` }) });
  await db.insertInto("groups").values([group(0), group(1)]).execute();
}

async function countsOf(raw: RawDatabase): Promise<Record<string, { total: number; revision: number }>> {
  // Summed over the shards of migration 0009, which the store applies after 0007.
  const rows = await raw.query<{ resource_type: string; total: unknown; revision: unknown }>(sql`select resource_type, sum(total) as total, sum(revision) as revision from resource_counts where tenant_id = 'a' group by resource_type`);
  return Object.fromEntries(rows.map((row) => [row.resource_type, { total: Number(row.total), revision: Number(row.revision) }]));
}

describe("migration 0007 (resource count revisions)", () => {
  it("starts existing counts at revision 0, keeps their totals, and moves the revision with inserts and deletes", async () => {
    const old = await openDatabaseAtMigration("0006-resource-counts");
    cleanups.push(old.remove);
    await insertOldRows(old.db);
    await old.db.destroy();

    const store = await openStore(old.url);
    cleanups.push(() => store.close());
    const raw = openRawDatabase(old.url);
    cleanups.push(() => raw.close());
    expect(await countsOf(raw)).toEqual({ User: { total: 30, revision: 0 }, Group: { total: 2, revision: 0 } });

    await store.write((s) => s.resources.insert({ tenantId: "a", id: "u99", type: "User", attributes: { userName: "u99@x.example" }, created: at }));
    await store.write((s) => s.resources.delete("User", "a", "u07"));
    await store.write((s) => s.resources.delete("Group", "a", "g1"));
    expect(await countsOf(raw)).toEqual({ User: { total: 30, revision: 2 }, Group: { total: 1, revision: 1 } });

    // Index pages walk the migrated tenant like any other.
    const walked: string[] = [];
    for (let startIndex = 1; startIndex <= 30; startIndex += 8) {
      const page = await store.read((s) => s.resources.list("User", "a", { page: { kind: "index", startIndex, count: 8 } }));
      expect(page.totalResults).toBe(30);
      walked.push(...page.records.map((record) => record.id));
    }
    expect(walked).toHaveLength(30);
    expect(new Set(walked).size).toBe(30);
    expect(walked).not.toContain("u07");
  });
});
