import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTenant } from "../../provisioning/tenants.js";
import { newId } from "../ids.js";
import { openSqliteConnection, openSqliteStore } from "./open-sqlite-store.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "muster-sqlite-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = { busyTimeoutMs: 1234, statementCacheSize: 8 };

describe("openSqliteConnection", () => {
  it("opens the writer with WAL, synchronous=FULL, foreign keys and the busy timeout", () => {
    const db = openSqliteConnection(join(dir, "a.db"), options, "writer");
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("synchronous", { simple: true })).toBe(2);
      expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(db.pragma("busy_timeout", { simple: true })).toBe(1234);
      expect(db.pragma("query_only", { simple: true })).toBe(0);
    } finally {
      db.close();
    }
  });

  it("opens readers query-only, so a read session cannot write", () => {
    const file = join(dir, "b.db");
    openSqliteConnection(file, options, "writer").close();
    const db = openSqliteConnection(file, options, "reader");
    try {
      expect(db.pragma("query_only", { simple: true })).toBe(1);
      expect(() => db.exec("create table t (x)")).toThrow(/readonly/i);
    } finally {
      db.close();
    }
  });

  it("registers scim_fold (foldCase) and scim_instant (xsd:dateTime → epoch ms) as SQL functions", () => {
    const db = openSqliteConnection(":memory:", options, "writer");
    try {
      expect(db.prepare("select scim_fold(?) as v").get("E\u0301MILE")).toEqual({ v: "\u00e9mile" });
      expect(db.prepare("select scim_fold(null) as v, scim_fold(3) as n").get()).toEqual({ v: null, n: 3 });
      expect(db.prepare("select scim_instant(?) as v").get("2026-01-01T01:00:00+01:00")).toEqual({ v: Date.UTC(2026, 0, 1) });
      expect(db.prepare("select scim_instant(?) as v").get("not a date")).toEqual({ v: null });
    } finally {
      db.close();
    }
  });
});

describe("openSqliteStore", () => {
  it("creates the schema at the latest version and records every migration", async () => {
    const file = join(dir, "c.db");
    const store = await openSqliteStore(file);
    await store.close();
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all().map((row) => (row as { name: string }).name);
      expect(tables).toEqual(["activity", "admin_sessions", "admin_setup_links", "admins", "app_links", "app_log", "app_memberships", "app_staged", "apps", "audit_events", "changes", "feed_checkpoints", "group_members", "groups", "kysely_migration", "kysely_migration_lock", "login_failures", "resource_counts", "search_terms", "settings", "tenants", "tokens", "user_emails", "users", "users_user_name_trigrams", "users_user_name_trigrams_config", "users_user_name_trigrams_data", "users_user_name_trigrams_idx"]);
      expect(db.prepare("select name from kysely_migration order by name").all()).toEqual([{ name: "0001-initial" }, { name: "0002-admin-accounts" }, { name: "0003-activity" }, { name: "0004-search-terms" }, { name: "0005-user-key-columns" }, { name: "0006-resource-counts" }, { name: "0007-resource-count-revisions" }, { name: "0008-audit-events" }, { name: "0009-resource-count-shards" }, { name: "0010-change-feed" }, { name: "0011-outbound-apps" }]);
    } finally {
      db.close();
    }
  });

  it("refuses a database migrated by a newer version of Muster", async () => {
    const file = join(dir, "d.db");
    await (await openSqliteStore(file)).close();
    const db = new BetterSqlite3(file);
    db.prepare("insert into kysely_migration (name, timestamp) values (?, ?)").run("9999-from-the-future", new Date().toISOString());
    db.close();
    await expect(openSqliteStore(file)).rejects.toThrow("The database has 1 migration this build of Muster does not know (9999-from-the-future)");
  });

  /** Another process takes the write lock, says "locked", holds it for `ms`, then commits and exits. */
  async function holdWriteLock(file: string, ms: number): Promise<{ exited: Promise<unknown> }> {
    const script = `const db = new (require("better-sqlite3"))(${JSON.stringify(file)}); db.exec("begin immediate"); console.log("locked"); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms}); db.exec("commit"); db.close();`;
    const child = spawn(process.execPath, ["-e", script], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    return { exited };
  }

  it("waits for another process's write lock up to the busy timeout", async () => {
    const file = join(dir, "e.db");
    const store = await openSqliteStore(file, { busyTimeoutMs: 5000 });
    try {
      const { exited } = await holdWriteLock(file, 300);
      const started = Date.now();
      await expect(store.write((s) => s.settings.setIfAbsent("k", "v"))).resolves.toBe("v");
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);
      await exited;
    } finally {
      await store.close();
    }
  });

  it("waits for that lock on a timer: the event loop keeps running meanwhile (other requests of the worker are served)", async () => {
    const file = join(dir, "g.db");
    const store = await openSqliteStore(file, { busyTimeoutMs: 5000 });
    try {
      const { exited } = await holdWriteLock(file, 400);
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      try {
        await expect(store.write((s) => s.settings.setIfAbsent("k", "v"))).resolves.toBe("v");
      } finally {
        clearInterval(ticker);
      }
      // SQLite's own busy handler would have slept inside the call: no tick at all until the lock was free.
      expect(ticks).toBeGreaterThanOrEqual(10);
      await expect(store.read((s) => s.settings.get("k"))).resolves.toBe("v");
      await exited;
    } finally {
      await store.close();
    }
  });

  it("migrates a new database while another process holds the write lock, once it is free (statements outside a transaction wait too)", async () => {
    const file = join(dir, "m.db");
    const store = await openSqliteStore(file, { busyTimeoutMs: 5000, schema: "none" });
    try {
      const { exited } = await holdWriteLock(file, 300);
      const applied = await store.migrate();
      expect(applied.length).toBeGreaterThan(0);
      expect((await store.schemaStatus()).pending).toEqual([]);
      await exited;
    } finally {
      await store.close();
    }
  });

  it("fails a write with 503 unavailable and Retry-After when the lock is held longer than the busy timeout", async () => {
    const file = join(dir, "f.db");
    const store = await openSqliteStore(file, { busyTimeoutMs: 50 });
    try {
      const { exited } = await holdWriteLock(file, 600);
      await expect(store.write((s) => s.settings.setIfAbsent("k", "v"))).rejects.toMatchObject({ code: "unavailable", status: 503, headers: { "Retry-After": "1" } });
      await exited;
      await expect(store.write((s) => s.settings.setIfAbsent("k", "w"))).resolves.toBe("w");
    } finally {
      await store.close();
    }
  });
});

describe("planner statistics", () => {
  const statisticsOf = (file: string, table: string): number => {
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      const exists = db.prepare("select count(*) as n from sqlite_master where name = 'sqlite_stat1'").get() as { n: number };
      return exists.n === 0 ? 0 : (db.prepare("select count(*) as n from sqlite_stat1 where tbl = ?").get(table) as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it("refreshes them on a schedule while the store stays open", async () => {
    const file = join(dir, "stats.db");
    const store = await openSqliteStore(file, { statisticsRefreshMs: 100 });
    try {
      const tenant = await createTenant(store, "acme", undefined);
      for (let batch = 0; batch < 4; batch++) {
        await store.write(async (session) => {
          for (let i = 0; i < 250; i++) await session.resources.insert({ tenantId: tenant.id, id: newId(), type: "User", attributes: { userName: `u${batch}-${i}@example.org` }, created: new Date().toISOString() });
        });
      }
      expect(statisticsOf(file, "users")).toBe(0);
      const deadline = Date.now() + 5_000;
      while (statisticsOf(file, "users") === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(statisticsOf(file, "users")).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it("analyzes tables that lack statistics when a store opens", async () => {
    const file = join(dir, "reopen.db");
    const first = await openSqliteStore(file, { statisticsRefreshMs: 3_600_000 });
    const tenant = await createTenant(first, "acme", undefined);
    await first.write(async (session) => {
      for (let i = 0; i < 500; i++) await session.resources.insert({ tenantId: tenant.id, id: newId(), type: "User", attributes: { userName: `u${i}@example.org` }, created: new Date().toISOString() });
    });
    await first.close();
    const raw = new BetterSqlite3(file);
    raw.exec("drop table sqlite_stat1");
    raw.close();
    const second = await openSqliteStore(file, { statisticsRefreshMs: 3_600_000 });
    try {
      expect(statisticsOf(file, "users")).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });
});
