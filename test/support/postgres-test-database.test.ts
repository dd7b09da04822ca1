import pg from "pg";
import { describe, expect, it } from "vitest";
import { createTestPostgresDatabase, dropTestPostgresDatabase, testDatabaseKind } from "../../src/store/testing/test-database.js";

async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe("test databases on the run's cluster", () => {
  it("runs in the postgres project", () => {
    expect(testDatabaseKind()).toBe("postgres");
  });

  it("gives every call its own empty UTF-8 database", async () => {
    const [first, second] = await Promise.all([createTestPostgresDatabase(), createTestPostgresDatabase()]);
    try {
      expect(first).not.toBe(second);
      await query(first, "create table marker (x int)");
      expect(await query(second, "select count(*)::int as n from pg_tables where tablename = 'marker'")).toEqual([{ n: 0 }]);
      expect(await query(first, "select current_setting('server_encoding') as encoding")).toEqual([{ encoding: "UTF8" }]);
    } finally {
      await dropTestPostgresDatabase(first);
      await dropTestPostgresDatabase(second);
    }
  });

  it("copies the run's migrated template when asked: this build's tables, no rows", async () => {
    const url = await createTestPostgresDatabase({ migrated: true });
    try {
      expect((await query(url, "select count(*)::int as n from kysely_migration"))[0]!["n"]).toBeGreaterThanOrEqual(4);
      expect(await query(url, "select (select count(*) from tenants)::int as tenants, (select count(*) from users)::int as users")).toEqual([{ tenants: 0, users: 0 }]);
    } finally {
      await dropTestPostgresDatabase(url);
    }
  });

  it("drops a database that still has a session connected", async () => {
    const url = await createTestPostgresDatabase();
    const client = new pg.Client({ connectionString: url });
    client.on("error", () => undefined);
    await client.connect();
    await dropTestPostgresDatabase(url);
    await expect(query(url, "select 1")).rejects.toThrow(/does not exist/);
    await client.end().catch(() => undefined);
  });

  it("refuses to drop a database it did not make", async () => {
    await expect(dropTestPostgresDatabase("postgres://postgres@127.0.0.1:1/postgres")).rejects.toThrow("not a test database: postgres");
  });
});
