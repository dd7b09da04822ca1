import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, sql, SqliteDialect } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../schema.js";
import { CommitGroup, maxGroupSize } from "./commit-group.js";
import { StoreTelemetry } from "./store-telemetry.js";

/** A file database with a table, a table whose foreign key is checked at COMMIT, and a log of statements. */
function setUp(dir: string) {
  const file = join(dir, "group.db");
  const writerDb = new BetterSqlite3(file, { timeout: 100 });
  writerDb.pragma("journal_mode = WAL");
  writerDb.pragma("foreign_keys = ON");
  writerDb.exec("create table item (name text primary key); create table ref (name text references item(name) deferrable initially deferred)");
  const statements: string[] = [];
  const writer = new Kysely<Database>({ dialect: new SqliteDialect({ database: writerDb }), log: (event) => void statements.push(event.query.sql) });
  const telemetry = new StoreTelemetry();
  const group = new CommitGroup({ writer, begin: "begin immediate", session: (db) => db as unknown as Kysely<any>, telemetry });
  const reader = new BetterSqlite3(file, { readonly: true });
  const names = () => (reader.prepare("select name from item order by name").all() as { name: string }[]).map((row) => row.name);
  const insert = (name: string) => (db: Kysely<any>) => sql`insert into item (name) values (${name})`.execute(db).then(() => name);
  return { writer, group, telemetry, statements, names, insert, close: async () => (reader.close(), await writer.destroy()) };
}

describe("CommitGroup", () => {
  let dir: string;
  let env: ReturnType<typeof setUp>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "muster-commit-group-"));
    env = setUp(dir);
  });
  afterEach(async () => {
    await env.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("commits writes submitted together once, and each resolves only when another connection can read it", async () => {
    const written = await Promise.all(
      Array.from({ length: 20 }, (_, i) => env.group.submit(env.insert(`n${String(i).padStart(2, "0")}`)).then((name) => ({ name, visible: env.names().includes(name) }))),
    );
    expect(written.every((write) => write.visible)).toBe(true);
    expect(env.statements.filter((text) => text === "commit")).toHaveLength(1);
    expect(env.names()).toHaveLength(20);
  });

  it("splits a crowd into groups of at most maxGroupSize writes", async () => {
    await Promise.all(Array.from({ length: maxGroupSize + 5 }, (_, i) => env.group.submit(env.insert(`n${i}`))));
    expect(env.statements.filter((text) => text === "commit")).toHaveLength(2);
    expect(env.names()).toHaveLength(maxGroupSize + 5);
  });

  it("rejects a write whose work fails, keeps nothing of it, and commits the others of its group", async () => {
    const first = env.group.submit(env.insert("a"));
    const failing = env.group.submit(async (db) => {
      await env.insert("half-done")(db);
      throw new Error("refused");
    });
    const duplicate = env.group.submit(env.insert("a"));
    const results = await Promise.allSettled([first, failing, duplicate, env.group.submit(env.insert("b"))]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(env.names()).toEqual(["a", "b"]);
  });

  it("rejects every write of the group when COMMIT fails, and writes none of them", async () => {
    const results = await Promise.allSettled([
      env.group.submit(env.insert("a")),
      env.group.submit((db) => sql`insert into ref (name) values ('missing')`.execute(db)),
      env.group.submit(env.insert("b")),
    ]);
    expect(results.every((result) => result.status === "rejected")).toBe(true);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(env.names()).toEqual([]);
    // The connection is usable again for the next group.
    await expect(env.group.submit(env.insert("c"))).resolves.toBe("c");
    expect(env.names()).toEqual(["c"]);
  });

  it("rejects every write of the group when the database ended the transaction under a failing write", async () => {
    const results = await Promise.allSettled([
      env.group.submit(env.insert("a")),
      env.group.submit(async (db) => {
        await sql.raw("rollback").execute(db);
        throw new Error("lost");
      }),
      env.group.submit(env.insert("b")),
    ]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(env.names()).toEqual([]);
    await expect(env.group.submit(env.insert("c"))).resolves.toBe("c");
  });

  it("rejects the whole group when BEGIN fails (another process holds the write lock)", async () => {
    const other = new BetterSqlite3(join(dir, "group.db"), { timeout: 0 });
    other.exec("begin immediate");
    try {
      const results = await Promise.allSettled([env.group.submit(env.insert("a")), env.group.submit(env.insert("b"))]);
      expect(results.every((result) => result.status === "rejected" && /locked|busy/i.test(String(result.reason)))).toBe(true);
    } finally {
      other.exec("rollback");
      other.close();
    }
    await expect(env.group.submit(env.insert("c"))).resolves.toBe("c");
  });

  it("idle() resolves after every submitted write has settled", async () => {
    const pending = env.group.submit(env.insert("a"));
    let settled = false;
    void pending.then(() => (settled = true));
    await env.group.idle();
    expect(settled).toBe(true);
  });

  it("reports each write's wait for its group, and the group's size and COMMIT time, while observed", async () => {
    const waits: number[] = [];
    const commits: [number, number][] = [];
    env.telemetry.observe({ statement: () => undefined, writeQueued: (seconds) => void waits.push(seconds), groupCommitted: (size, seconds) => void commits.push([size, seconds]) });
    await Promise.allSettled([
      env.group.submit(env.insert("a")),
      env.group.submit(async () => {
        throw new Error("refused");
      }),
      env.group.submit(env.insert("b")),
    ]);
    await env.group.submit(env.insert("c"));
    await env.group.submit(async () => {
      throw new Error("refused alone");
    }).catch(() => undefined);
    expect(waits).toHaveLength(5);
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(0);
    // The refused write was rolled back to its savepoint: the first COMMIT carried two writes; the last group committed nothing.
    expect(commits.map(([size]) => size)).toEqual([2, 1]);
    for (const [, seconds] of commits) expect(seconds).toBeGreaterThan(0);
  });
});
