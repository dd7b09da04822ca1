import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { migrations } from "../migrations/migrate-to-latest.js";
import { openTempSqliteStore, type TempSqliteStore } from "../testing/temp-store.js";
import { openSqliteStore } from "./open-sqlite-store.js";
import { sqliteDialect } from "./sqlite-dialect.js";

let temp: TempSqliteStore;
beforeEach(async () => {
  temp = await openTempSqliteStore();
});
afterEach(() => temp.dispose());

describe("migration 0004", () => {
  it("indexes the users and groups that existed before it", async () => {
    const file = `${temp.dir}/old.db`;
    const raw = new BetterSqlite3(file);
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
    const all = migrations(sqliteDialect);
    const migrator = new Migrator({ db, provider: { getMigrations: async () => all } });
    expect((await migrator.migrateTo("0003-activity")).error).toBeUndefined();
    await db.insertInto("tenants").values({ id: "t", slug: "t", name: "T", created_at: "2026-01-01T00:00:00.000Z" }).execute();
    const row = (id: string, userName: string, extra: object) => ({ tenant_id: "t", id, user_name: userName, user_name_key: userName.toLowerCase(), created_at: "2026-01-01T00:00:00.000Z", last_modified_at: "2026-01-01T00:00:00.000Z", version: 1, attributes: JSON.stringify({ userName, ...extra }) });
    // More rows than one backfill batch, so the batches' keyset continues correctly.
    await db.insertInto("users").values(Array.from({ length: 1500 }, (_, i) => row(`u${String(i).padStart(5, "0")}`, `user${i}@x.example`, {}))).execute();
    await db.insertInto("users").values(row("zz", "Old.Timer@x.example", { name: { givenName: "Olga" } })).execute();
    await db.insertInto("groups").values({ tenant_id: "t", id: "g", display_name: "Night Shift", display_name_key: "night shift", created_at: "2026-01-01T00:00:00.000Z", last_modified_at: "2026-01-01T00:00:00.000Z", version: 1, attributes: JSON.stringify({ displayName: "Night Shift" }) }).execute();
    await db.destroy();

    const store = await openSqliteStore(file);
    try {
      const find = (type: ResourceTypeName, word: string) => store.read(async (s) => (await s.resources.list(type, "t", { search: [word], page: { kind: "cursor", count: 5 } })).records.map((r) => r.id));
      expect(await find("User", "olga")).toEqual(["zz"]);
      expect(await find("User", "user1499@")).toEqual(["u01499"]);
      expect(await find("Group", "shift")).toEqual(["g"]);
      expect(await store.read(async (s) => (await s.resources.list("User", "t", { search: ["x.example"], page: { kind: "index", startIndex: 1, count: 0 } })).totalResults)).toBe(1501);
    } finally {
      await store.close();
    }
  });
});
