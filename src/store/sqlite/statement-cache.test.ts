import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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
});
