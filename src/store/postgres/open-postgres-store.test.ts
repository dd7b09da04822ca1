import { sql } from "kysely";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { migrationNames } from "../migrations/migrate-to-latest.js";
import { openStore } from "../open-store.js";
import { sqliteDialect } from "../sqlite/sqlite-dialect.js";
import type { Store } from "../store.js";
import { openTempStore, type TempStore } from "../testing/temp-store.js";
import { createTestPostgresDatabase, dropTestPostgresDatabase } from "../testing/test-database.js";
import { openPostgresStore } from "./open-postgres-store.js";
import { postgresDialect } from "./postgres-dialect.js";

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.dispose());

describe("openPostgresStore", () => {
  it("creates the schema with code point ordered text, jsonb documents, native booleans and scim_instant", async () => {
    const columns = await temp.raw<{ table_name: string; column_name: string; data_type: string; collation_name: string | null }>(
      sql`select table_name, column_name, data_type, collation_name from information_schema.columns where table_schema = 'public' and table_name not like 'kysely_%' order by table_name, column_name`,
    );
    const text = columns.filter((column) => column.data_type === "text");
    expect(text.length).toBeGreaterThan(60);
    expect(text.filter((column) => column.collation_name !== "C").map((column) => `${column.table_name}.${column.column_name}`)).toEqual([]);
    const typeOf = (table: string, column: string) => columns.find((c) => c.table_name === table && c.column_name === column)?.data_type;
    expect([typeOf("users", "attributes"), typeOf("groups", "attributes"), typeOf("users", "active"), typeOf("user_emails", "is_primary")]).toEqual(["jsonb", "jsonb", "boolean", "boolean"]);
    expect(await temp.raw(sql`select scim_instant('1970-01-01T00:00:01.5+00:00') as instant`)).toEqual([{ instant: 1500 }]);
  });

  it("records the same migration history as SQLite and applies nothing when opened again", async () => {
    const names = async () => (await temp.raw<{ name: string }>(sql`select name from kysely_migration order by name`)).map((row) => row.name);
    const before = await names();
    expect(before).toEqual(migrationNames(postgresDialect));
    expect(migrationNames(postgresDialect)).toEqual(migrationNames(sqliteDialect));
    expect(before.slice(0, 4)).toEqual(["0001-initial", "0002-admin-accounts", "0003-activity", "0004-search-terms"]);
    const again = await openStore(temp.url);
    try {
      expect(await again.migrate()).toEqual([]);
    } finally {
      await again.close();
    }
    expect(await names()).toEqual(before);
  });

  it("applies each migration once when several nodes open a fresh database at the same moment", async () => {
    const url = await createTestPostgresDatabase();
    let stores: Store[] = [];
    try {
      stores = await Promise.all([openStore(url), openStore(url), openStore(url)]);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query("select name, count(*)::int as n from kysely_migration group by name");
      await client.end();
      expect(rows.length).toBeGreaterThanOrEqual(4);
      expect(rows.every((row) => row.n === 1)).toBe(true);
      await stores[0]!.write((s) => s.tenants.create({ id: "t", slug: "t", name: "T", created: "2026-01-01T00:00:00.000Z" }));
      expect(await stores[2]!.read((s) => s.tenants.count())).toBe(1);
    } finally {
      for (const store of stores) await store.close();
      await dropTestPostgresDatabase(url);
    }
  });

  it("reads a document back as the JSON it stored, numbers and nested values included", async () => {
    await temp.store.write((s) => s.tenants.create({ id: "t", slug: "t", name: "T", created: "2026-01-01T00:00:00.000Z" }));
    const attributes = { userName: "doc", name: { givenName: "Ada", familyName: "L" }, emails: [{ value: "a@x.example", primary: true }], "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { costCenter: "1.50", manager: { value: "m" } } };
    await temp.store.write((s) => s.resources.insert({ tenantId: "t", id: "u", type: "User", attributes, created: "2026-01-01T00:00:00.000Z" }));
    expect((await temp.store.read((s) => s.resources.get("User", "t", "u")))?.attributes).toEqual(attributes);
  });

  it("finds nothing, instead of failing, for an id that holds U+0000", async () => {
    await temp.store.write((s) => s.tenants.create({ id: "t", slug: "t", name: "T", created: "2026-01-01T00:00:00.000Z" }));
    expect(await temp.store.read((s) => s.resources.get("User", "t", "u\u0000"))).toBeUndefined();
    expect(await temp.store.read((s) => s.tenants.bySlug("t\u0000"))).toBeUndefined();
  });

  it("names the server but never the password when it cannot connect", async () => {
    const failing = openPostgresStore("postgres://muster:s3cret-pw@127.0.0.1:1/muster?sslmode=disable", { connectionTimeoutMs: 2000 });
    await expect(failing).rejects.toThrow(/^Could not open the PostgreSQL database postgres:\/\/muster@127\.0\.0\.1:1\/muster: /);
    await expect(failing).rejects.not.toThrow(/s3cret/);
  });

  it("refuses a database that is not UTF-8, saying why", async () => {
    const admin = new pg.Client({ connectionString: inject("postgresAdminUrl") });
    await admin.connect();
    const name = `muster_ascii_${process.pid}_${Date.now()}`;
    await admin.query(`create database ${name} template template0 encoding 'SQL_ASCII' locale_provider libc lc_collate 'C' lc_ctype 'C'`);
    try {
      const url = new URL(inject("postgresAdminUrl"));
      url.pathname = `/${name}`;
      await expect(openPostgresStore(url.toString())).rejects.toThrow(/Muster needs a UTF8 database; this one is SQL_ASCII/);
    } finally {
      await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    }
  });
});
