import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StatementKind } from "../store-observer.js";
import { StoreTelemetry } from "../sql/store-telemetry.js";
import { StatementCache } from "./statement-cache.js";

let db: BetterSqlite3.Database;
beforeEach(() => {
  db = new BetterSqlite3(":memory:");
});
afterEach(() => {
  if (db.open) db.close();
});

describe("StatementCache", () => {
  it("returns the same prepared statement for the same SQL", () => {
    const cache = new StatementCache(db, 4);
    const first = cache.prepare("select ? as v");
    expect(cache.prepare("select ? as v")).toBe(first);
    expect(first.all([1])).toEqual([{ v: 1 }]);
    expect(cache.size).toBe(1);
  });

  it("evicts the least recently used statement beyond its capacity", () => {
    const cache = new StatementCache(db, 2);
    const a = cache.prepare("select 1");
    const b = cache.prepare("select 2");
    cache.prepare("select 1");
    cache.prepare("select 3");
    expect(cache.size).toBe(2);
    expect(cache.prepare("select 1")).toBe(a);
    expect(cache.prepare("select 2")).not.toBe(b);
  });

  it("caches nothing with capacity 0 and closes the database", () => {
    const cache = new StatementCache(db, 0);
    expect(cache.prepare("select 1")).not.toBe(cache.prepare("select 1"));
    expect(cache.size).toBe(0);
    cache.close();
    expect(db.open).toBe(false);
  });

  it("reports each run of a statement with its kind, duration and failure once an observer listens", () => {
    const telemetry = new StoreTelemetry();
    const cache = new StatementCache(db, 8, telemetry);
    cache.prepare("create table t (v integer primary key)").run([]);
    const reports: [StatementKind, number, boolean][] = [];
    telemetry.observe({ statement: (kind, seconds, failed) => void reports.push([kind, seconds, failed]), writeQueued: () => undefined, groupCommitted: () => undefined });
    const insert = cache.prepare("insert into t (v) values (?)");
    insert.run([1]);
    expect(() => insert.run([1])).toThrow(/UNIQUE/);
    expect(cache.prepare("select v from t").all([])).toEqual([{ v: 1 }]);
    expect([...cache.prepare("select v from t").iterate([])]).toEqual([{ v: 1 }]);
    expect(reports.map(([kind, , failed]) => [kind, failed])).toEqual([
      ["insert", false],
      ["insert", true],
      ["select", false],
      ["select", false],
    ]);
    for (const [, seconds] of reports) expect(seconds).toBeGreaterThanOrEqual(0);
    expect(cache.prepare("select v from t").reader).toBe(true);
  });
});
