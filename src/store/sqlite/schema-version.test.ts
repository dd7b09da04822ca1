import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrationNames } from "../migrations/migrate-to-latest.js";
import { SchemaVersionError } from "../migrations/schema-status.js";
import { openStore } from "../open-store.js";
import { sqliteDialect } from "./sqlite-dialect.js";

let dir: string;
let url: string;
const all = migrationNames(sqliteDialect);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "muster-schema-"));
  url = `sqlite:${join(dir, "muster.db")}`;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Records a migration this build does not have, as a newer Muster would. */
function addFutureMigration(name: string): void {
  const db = new BetterSqlite3(join(dir, "muster.db"));
  db.prepare("insert into kysely_migration (name, timestamp) values (?, ?)").run(name, "2030-01-01T00:00:00.000Z");
  db.close();
}

describe("schema status and migration", () => {
  it("migrates on open by default and reports every migration applied", async () => {
    const store = await openStore(url);
    try {
      expect(await store.schemaStatus()).toEqual({ applied: all, pending: [], unknown: [] });
      expect(await store.migrate()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("leaves a new database unmigrated with schema none, then migrate() applies everything once", async () => {
    const store = await openStore(url, { schema: "none" });
    try {
      expect(await store.schemaStatus()).toEqual({ applied: [], pending: all, unknown: [] });
      expect(await store.migrate()).toEqual(all);
      expect(await store.migrate()).toEqual([]);
      expect(await store.read((s) => s.tenants.count())).toBe(0);
    } finally {
      await store.close();
    }
  });

  it("refuses a database with pending migrations under verify, naming them and muster migrate", async () => {
    const opening = openStore(url, { schema: "verify" });
    await expect(opening).rejects.toBeInstanceOf(SchemaVersionError);
    await expect(opening).rejects.toThrow(`lacks ${all.length} migrations of this build (${all.join(", ")})`);
    await expect(opening).rejects.toThrow("run `muster migrate` first");
    const migrated = await openStore(url);
    await migrated.close();
    const verified = await openStore(url, { schema: "verify" });
    await verified.close();
  });

  it("refuses a database a newer Muster migrated, naming the unknown migrations, whether migrating or verifying", async () => {
    await (await openStore(url)).close();
    addFutureMigration("9999-from-the-future");
    addFutureMigration("9998-also-newer");
    for (const schema of ["migrate", "verify"] as const) {
      const opening = openStore(url, { schema });
      await expect(opening).rejects.toBeInstanceOf(SchemaVersionError);
      await expect(opening).rejects.toThrow("The database has 2 migrations this build of Muster does not know (9998-also-newer, 9999-from-the-future)");
    }
    const store = await openStore(url, { schema: "none" });
    try {
      expect(await store.schemaStatus()).toEqual({ applied: all, pending: [], unknown: ["9998-also-newer", "9999-from-the-future"] });
      await expect(store.migrate()).rejects.toBeInstanceOf(SchemaVersionError);
    } finally {
      await store.close();
    }
  });
});
