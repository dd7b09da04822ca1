import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { copyStore } from "../copy-store.js";
import { migrationNames } from "../migrations/migrate-to-latest.js";
import { SchemaVersionError } from "../migrations/schema-status.js";
import { openStore } from "../open-store.js";
import { derivedTables, transferTables, untransferredTables } from "../sql/transfer-tables.js";
import type { Store } from "../store.js";
import { dumpTables, expectSameRows, fillInstallation } from "../testing/installation.js";
import { openTempSqliteStore, type TempSqliteStore } from "../testing/temp-store.js";
import { createTestPostgresDatabase, dropTestPostgresDatabase } from "../testing/test-database.js";
import { postgresDialect } from "./postgres-dialect.js";

const all = migrationNames(postgresDialect);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshDatabase(): Promise<string> {
  const url = await createTestPostgresDatabase();
  cleanups.push(() => dropTestPostgresDatabase(url));
  return url;
}

async function open(url: string, schema: "migrate" | "verify" | "none" = "migrate"): Promise<Store> {
  const store = await openStore(url, { schema });
  cleanups.push(() => store.close());
  return store;
}

async function sqlite(): Promise<TempSqliteStore> {
  const temp = await openTempSqliteStore();
  cleanups.push(() => temp.dispose());
  return temp;
}

async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

describe("muster copy between SQLite and PostgreSQL", () => {
  it("keeps every row exactly through SQLite → PostgreSQL → SQLite: timestamps, JSON, booleans, numbers, awkward text", async () => {
    const origin = await sqlite();
    await fillInstallation(origin.store, { tenants: 2, users: 25 });
    const postgres = await open(await freshDatabase());
    const back = await sqlite();

    const there = await copyStore(origin.store, postgres, { batchSize: 6 });
    expect(there.every((count) => count.source === count.target && count.source > 0)).toBe(true);
    const again = await copyStore(postgres, back.store, { batchSize: 4 });
    expect(again).toEqual(there);

    const expected = await dumpTables(origin.store);
    // Text columns compare in code point order on both databases, so the key order of every table matches.
    expectSameRows(await dumpTables(postgres), expected);
    const returned = await dumpTables(back.store);
    expectSameRows(returned, expected);
    // Only JSON documents may differ, and only in key order and spacing (jsonb).
    for (const table of ["users", "groups"]) {
      const strip = (rows: readonly Record<string, unknown>[]) => rows.map(({ attributes: _, ...rest }) => rest);
      expect(strip(returned.get(table)!)).toEqual(strip(expected.get(table)!));
    }
  });

  it("gives the product the same answers on PostgreSQL as on SQLite after the copy", async () => {
    const origin = await sqlite();
    await fillInstallation(origin.store, { tenants: 1, users: 5 });
    const postgres = await open(await freshDatabase());
    await copyStore(origin.store, postgres, { batchSize: 100 });
    const read = (store: Store) =>
      store.read(async (s) => ({
        user: await s.resources.get("User", "tenant-0", "tenant-0-user-000"),
        members: await s.resources.membersOf("tenant-0", ["tenant-0-group-a"]),
        tokens: await s.tokens.list("tenant-0"),
        admin: await s.admins.byEmail("root@example.com"),
        search: (await s.resources.list("User", "tenant-0", { search: ["ünï"], page: { kind: "index", startIndex: 1, count: 10 } })).totalResults,
      }));
    expect(await read(postgres)).toEqual(await read(origin.store));
  });

  it("fails the whole copy, naming the table, when a SQLite row holds text PostgreSQL cannot store (U+0000)", async () => {
    const origin = await sqlite();
    await fillInstallation(origin.store, { tenants: 1, users: 3 });
    // Stores refuse U+0000 now; an older SQLite installation may still hold it.
    const raw = new BetterSqlite3(origin.file);
    raw.prepare("update users set attributes = json_set(attributes, '$.displayName', 'a' || char(0) || 'b') where id = 'tenant-0-user-001'").run();
    raw.close();
    const postgres = await open(await freshDatabase());
    await expect(copyStore(origin.store, postgres, { batchSize: 100 })).rejects.toThrow(/^Copying table users failed at rows 1–3 \(in key order\): .*u0000.*\. Nothing was written to the target\.$/);
    expect(await postgres.read((s) => s.transfer.count("tenants"))).toBe(0);
  });

  it("refuses a PostgreSQL target that holds data", async () => {
    const origin = await sqlite();
    await fillInstallation(origin.store, { tenants: 1, users: 1 });
    const postgres = await open(await freshDatabase());
    await postgres.write((s) => s.tenants.create({ id: "x", slug: "x", name: "X", created: "2026-01-01T00:00:00.000Z" }));
    await expect(copyStore(origin.store, postgres, { batchSize: 10 })).rejects.toThrow("The target database is not empty (tenants: 1).");
    expect(await postgres.read((s) => s.transfer.count("tenants"))).toBe(1);
  });

  it("has a catalog entry for every table and column the migrations create on PostgreSQL", async () => {
    const url = await freshDatabase();
    await open(url);
    const rows = await query<{ table_name: string; column_name: string }>(url, "select table_name, column_name from information_schema.columns where table_schema = 'public' and table_name not like 'kysely%'");
    const created: Record<string, string[]> = {};
    for (const row of rows) if (!(row.table_name in derivedTables)) (created[row.table_name] ??= []).push(row.column_name);
    const catalogued = Object.fromEntries(transferTables.map((table) => [table.name, Object.keys(table.columns).sort()]));
    for (const name of Object.keys(untransferredTables)) catalogued[name] = created[name]!.sort();
    expect(catalogued).toEqual(Object.fromEntries(Object.entries(created).map(([table, columns]) => [table, columns.sort()])));
  });
});

describe("migrations on PostgreSQL", () => {
  it("applies each migration once when several nodes migrate one database at the same moment (advisory lock)", async () => {
    const url = await freshDatabase();
    const nodes = await Promise.all(Array.from({ length: 4 }, () => open(url, "none")));
    const applied = await Promise.all(nodes.map((node) => node.migrate()));
    expect(applied.flat().sort()).toEqual(all);
    expect(applied.filter((names) => names.length === 0)).toHaveLength(3);
    expect((await query<{ name: string }>(url, "select name from kysely_migration order by name")).map((row) => row.name)).toEqual(all);
  });

  it("refuses pending migrations under verify, and a database a newer Muster migrated whatever the policy", async () => {
    const url = await freshDatabase();
    await expect(openStore(url, { schema: "verify" })).rejects.toThrow(`lacks ${all.length} migrations of this build (${all.join(", ")})`);
    await (await openStore(url)).close();
    await query(url, "insert into kysely_migration (name, timestamp) values ($1, $2)", ["9999-from-the-future", "2030-01-01T00:00:00.000Z"]);
    for (const schema of ["migrate", "verify"] as const) {
      const opening = openStore(url, { schema });
      await expect(opening).rejects.toBeInstanceOf(SchemaVersionError);
      await expect(opening).rejects.toThrow("The database has 1 migration this build of Muster does not know (9999-from-the-future)");
    }
    const store = await open(url, "none");
    expect(await store.schemaStatus()).toEqual({ applied: all, pending: [], unknown: ["9999-from-the-future"] });
  });
});
