import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CopyError, copyStore, type CopyProgress } from "../copy-store.js";
import type { Store } from "../store.js";
import { dumpTables, expectSameRows, fillInstallation } from "../testing/installation.js";
import { openTempStore, type TempStore } from "../testing/temp-store.js";
import { openSqliteStore } from "./open-sqlite-store.js";

let source: TempStore;
let target: TempStore;
beforeEach(async () => {
  source = await openTempStore();
  target = await openTempStore();
});
afterEach(async () => {
  await source.dispose();
  await target.dispose();
});

describe("copyStore", () => {
  it("copies every row of every table exactly, in batches smaller than a table", async () => {
    await fillInstallation(source.store);
    const counts = await copyStore(source.store, target.store, { batchSize: 5 });
    const expected = await dumpTables(source.store);
    const copied = await dumpTables(target.store);
    expect(copied).toEqual(expected);
    expectSameRows(copied, expected);
    expect(counts.every((count) => count.source === count.target)).toBe(true);
    expect(counts.find((count) => count.table === "user_emails")).toEqual({ table: "user_emails", source: 2 * (12 + 11 * 2), target: 2 * (12 + 11 * 2) });
  });

  it("leaves console sessions and sign-in failures behind", async () => {
    await fillInstallation(source.store);
    const counts = await copyStore(source.store, target.store, { batchSize: 100 });
    expect(counts.map((count) => count.table)).not.toContain("admin_sessions");
    expect(counts.map((count) => count.table)).not.toContain("login_failures");
    expect(await target.store.read((s) => s.adminSessions.get("session-1"))).toBeUndefined();
    expect(await target.store.read((s) => s.admins.get("admin-1"))).toBeDefined();
  });

  it("keeps what the product reads back: users with emails and passwords, members, tokens, cursor key", async () => {
    await fillInstallation(source.store, { tenants: 1, users: 3 });
    await copyStore(source.store, target.store, { batchSize: 2 });
    const read = (store: Store) =>
      store.read(async (s) => ({
        user: await s.resources.get("User", "tenant-0", "tenant-0-user-000"),
        members: await s.resources.membersOf("tenant-0", ["tenant-0-group-a"]),
        tokens: await s.tokens.list("tenant-0"),
        cursorKey: await s.settings.get("cursor_key"),
        search: await s.resources.list("User", "tenant-0", { search: ["ünï"], page: { kind: "index", startIndex: 1, count: 10 } }),
      }));
    expect(await read(target.store)).toEqual(await read(source.store));
  });

  it("reports progress after every batch, ending at the total", async () => {
    await fillInstallation(source.store, { tenants: 1, users: 4 });
    const progress: CopyProgress[] = [];
    const tables: string[] = [];
    await copyStore(source.store, target.store, { batchSize: 3, onProgress: (p) => progress.push(p), onTable: (table) => tables.push(table) });
    const last = progress[progress.length - 1]!;
    expect(last.rows).toBe(last.total);
    expect(progress.every((p) => p.tableRows <= p.tableTotal && p.rows <= p.total)).toBe(true);
    expect(tables).toEqual(await source.store.read(async (s) => [...s.transfer.tables()]));
  });

  it("copies the snapshot it started from while the source keeps being written", async () => {
    await fillInstallation(source.store, { tenants: 1, users: 6 });
    let writes: Promise<unknown>[] = [];
    const counts = await copyStore(source.store, target.store, {
      batchSize: 2,
      onProgress: () => {
        writes.push(source.store.write((s) => s.settings.setIfAbsent(`late-${writes.length}`, "x")));
      },
    });
    await Promise.all(writes);
    writes = [];
    expect(counts.find((count) => count.table === "settings")).toEqual({ table: "settings", source: 2, target: 2 });
    expect(await source.store.read((s) => s.transfer.count("settings"))).toBeGreaterThan(2);
  });

  it("refuses a target that holds data, naming its tables, and changes nothing", async () => {
    await fillInstallation(source.store, { tenants: 1, users: 1 });
    await target.store.write((s) => s.settings.setIfAbsent("cursor_key", "other"));
    const copying = copyStore(source.store, target.store, { batchSize: 10 });
    await expect(copying).rejects.toBeInstanceOf(CopyError);
    await expect(copying).rejects.toThrow(/target database is not empty \(settings: 1\)/);
    expect(await target.store.read((s) => s.transfer.count("tenants"))).toBe(0);
    expect(await target.store.read((s) => s.settings.get("cursor_key"))).toBe("other");
  });

  it("leaves the target empty when a table fails half way, and names the table and rows", async () => {
    await fillInstallation(source.store, { tenants: 1, users: 8 });
    let inserts = 0;
    const failing: Store = {
      ...target.store,
      dialect: target.store.dialect,
      read: (work) => target.store.read(work),
      schemaStatus: () => target.store.schemaStatus(),
      migrate: () => target.store.migrate(),
      close: () => target.store.close(),
      write: (work) =>
        target.store.write((s) =>
          work({
            ...s,
            transfer: {
              ...s.transfer,
              tables: () => s.transfer.tables(),
              count: (table) => s.transfer.count(table),
              readBatch: (table, after, limit) => s.transfer.readBatch(table, after, limit),
              insertBatch: async (table, rows) => {
                if (table === "users" && ++inserts === 2) throw new Error("disk full");
                return s.transfer.insertBatch(table, rows);
              },
            },
          }),
        ),
    };
    await expect(copyStore(source.store, failing, { batchSize: 3 })).rejects.toThrow("Copying table users failed at rows 4–6 (in key order): disk full. Nothing was written to the target.");
    for (const table of await target.store.read(async (s) => [...s.transfer.tables()])) {
      expect(await target.store.read((s) => s.transfer.count(table)), table).toBe(0);
    }
  });

  it("refuses a database that lacks migrations", async () => {
    const unmigrated = await openSqliteStore(join(target.dir, "unmigrated.db"), { schema: "none" });
    try {
      await expect(copyStore(source.store, unmigrated, { batchSize: 10 })).rejects.toThrow(/The target database is not at this build's schema \(missing: 0001-initial, /);
    } finally {
      await unmigrated.close();
    }
  });
});
