import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrationNames } from "../migrations/migrate-to-latest.js";
import type { SqlStore } from "../sql/sql-store.js";
import { backupSqliteDatabase } from "./backup-sqlite-database.js";
import { openSqliteStore } from "./open-sqlite-store.js";
import { sqliteDialect } from "./sqlite-dialect.js";

let dir: string;
let file: string;
let store: SqlStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "muster-backup-"));
  file = join(dir, "muster.db");
  store = await openSqliteStore(file);
  await store.write((s) => s.tenants.create({ id: "t", slug: "t", name: "T", created: "2026-01-01T00:00:00.000Z" }));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const addUsers = (from: number, count: number) =>
  store.write(async (s) => {
    for (let i = from; i < from + count; i++) {
      await s.resources.insert({ tenantId: "t", id: `u${String(i).padStart(6, "0")}`, type: "User", created: "2026-01-01T00:00:00.000Z", attributes: { userName: `user${i}@example.com`, displayName: "x".repeat(300) } });
    }
  });

describe("backupSqliteDatabase", () => {
  it("finishes while another connection keeps committing, with the users of one moment", async () => {
    await addUsers(0, 2_000);
    let written = 2_000;
    let backingUp = true;
    const writer = (async () => {
      while (backingUp) {
        // better-sqlite3 answers synchronously: without a macrotask turn this loop would starve the backup's steps.
        await new Promise((resolve) => setImmediate(resolve));
        await addUsers(written, 5);
        written += 5;
      }
    })();
    const steps: number[] = [];
    const destination = join(dir, "backups", "copy.db");
    const result = await backupSqliteDatabase(file, destination, { pagesPerStep: 20, onProgress: (copied) => steps.push(copied) });
    backingUp = false;
    await writer;
    expect(steps.length).toBeGreaterThan(5);
    // Never restarted: the pages copied only ever grew.
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(result.migrations).toEqual(migrationNames(sqliteDialect));
    expect(result.bytes).toBeGreaterThan(0);

    const copy = await openSqliteStore(destination, { schema: "verify" });
    try {
      const users = await copy.read((s) => s.transfer.count("users"));
      expect(users).toBeGreaterThanOrEqual(2_000);
      expect(users).toBeLessThan(written);
      expect(users % 5).toBe(0);
    } finally {
      await copy.close();
    }
    expect(readdirSync(join(dir, "backups"))).toEqual(["copy.db"]);
  });

  it("writes one self-contained file, not a WAL database", async () => {
    await backupSqliteDatabase(file, join(dir, "single.db"));
    expect(readdirSync(dir).filter((name) => name.startsWith("single"))).toEqual(["single.db"]);
    // Bytes 18 and 19 of the header are the file format versions: 1 is a rollback journal, 2 is WAL.
    const header = readFileSync(join(dir, "single.db")).subarray(18, 20);
    expect([...header]).toEqual([1, 1]);
  });

  it("refuses to overwrite an existing file unless asked to replace it", async () => {
    const destination = join(dir, "taken.db");
    writeFileSync(destination, "not a backup");
    await expect(backupSqliteDatabase(file, destination)).rejects.toThrow(`${destination} exists already; choose a new file name or pass --force to replace it.`);
    await backupSqliteDatabase(file, destination, { replace: true });
    const copy = await openSqliteStore(destination, { schema: "verify" });
    try {
      expect(await copy.read((s) => s.tenants.count())).toBe(1);
    } finally {
      await copy.close();
    }
  });

  it("refuses a source that does not exist instead of creating an empty database there", async () => {
    const missing = join(dir, "missing.db");
    await expect(backupSqliteDatabase(missing, join(dir, "out.db"))).rejects.toThrow(`There is no SQLite database at ${missing}.`);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, "out.db"))).toBe(false);
  });

  it("refuses to back a database up onto itself", async () => {
    await expect(backupSqliteDatabase(file, join(dir, ".", "muster.db"))).rejects.toThrow("another file");
  });
});
