import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../open-store.js";
import type { Store } from "../store.js";
import { openRawDatabase, type RawDatabase } from "../testing/raw-database.js";
import { createTenants } from "../testing/temp-store.js";
import { createTestPostgresDatabase, dropTestPostgresDatabase } from "../testing/test-database.js";

/*
 * resource_counts on PostgreSQL (migration 0009): creates in one tenant write different count rows,
 * so they do not queue on one row's lock until the previous create commits, and the sums stay exact.
 */

let url: string;
let store: Store;
let raw: RawDatabase;
beforeEach(async () => {
  url = await createTestPostgresDatabase({ migrated: true });
  store = await openStore(url, { poolSize: 20 });
  raw = openRawDatabase(url);
  await createTenants(store, "t1");
});
afterEach(async () => {
  await store.close();
  await raw.close();
  await dropTestPostgresDatabase(url);
});

const at = "2026-01-01T00:00:00.000Z";

function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** Rejects when `promise` has not settled within `ms`: a write stuck behind another's lock shows up as this. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** Creates a user in its own transaction, which stays open after the insert until `release` opens. */
function heldCreate(id: string, inserted: () => void, release: Promise<void>): Promise<void> {
  return store.write(async (s) => {
    await s.resources.insert({ tenantId: "t1", id, type: "User", attributes: { userName: `${id}@t1.example` }, created: at });
    inserted();
    await release;
  });
}

/** Sums over the tenant's count rows, and count(*) of its users. */
async function figures(): Promise<{ total: number; revision: number; rows: number; counted: number }> {
  const [sums] = await raw.query<{ total: unknown; revision: unknown; rows: unknown }>(sql`select sum(total) as total, sum(revision) as revision, count(*) as rows from resource_counts where tenant_id = 't1' and resource_type = 'User'`);
  const [users] = await raw.query<{ n: unknown }>(sql`select count(*) as n from users where tenant_id = 't1'`);
  return { total: Number(sums?.total ?? 0), revision: Number(sums?.revision ?? 0), rows: Number(sums?.rows ?? 0), counted: Number(users?.n ?? 0) };
}

describe("resource count shards on PostgreSQL", () => {
  it("lets another create in the same tenant commit while a create's transaction is still open", async () => {
    const release = gate();
    const inserted = gate();
    const held = heldCreate("held", inserted.open, release.opened);
    try {
      await within(inserted.opened, 5_000, "the first insert");
      await within(store.write((s) => s.resources.insert({ tenantId: "t1", id: "other", type: "User", attributes: { userName: "other@t1.example" }, created: at })), 5_000, "a second create");
      expect(await store.read(async (s) => (await s.resources.list("User", "t1", { page: { kind: "index", startIndex: 1, count: 10 } })).totalResults)).toBe(1);
    } finally {
      release.open();
      await held;
    }
    expect(await store.read(async (s) => (await s.resources.list("User", "t1", { page: { kind: "index", startIndex: 1, count: 10 } })).totalResults)).toBe(2);
  });

  it("runs 16 creates in one tenant on 16 connections without any waiting for another's commit", async () => {
    const release = gate();
    const inserts = Array.from({ length: 16 }, () => gate());
    const creates = inserts.map((inserted, i) => heldCreate(`u${String(i).padStart(2, "0")}`, inserted.open, release.opened));
    try {
      // Each insert (and its count row) is done while all 16 transactions are still open: none waited for a COMMIT.
      await within(Promise.all(inserts.map((inserted) => inserted.opened)), 10_000, "16 concurrent inserts");
    } finally {
      release.open();
      await Promise.all(creates);
    }
    const after = await figures();
    expect(after).toMatchObject({ total: 16, revision: 16, counted: 16 });
    expect(after.rows).toBeGreaterThan(1);
  });

  it("keeps the sums exact and the revision rising under concurrent creates and deletes", async () => {
    const workers = 12;
    const rounds = 8;
    const revisions: number[] = [];
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const [row] = await raw.query<{ revision: unknown }>(sql`select sum(revision) as revision from resource_counts where tenant_id = 't1' and resource_type = 'User'`);
        revisions.push(Number(row?.revision ?? 0));
      }
    })();
    let changes = 0;
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let round = 0; round < rounds; round++) {
          const id = `w${w}-${round}`;
          await store.write((s) => s.resources.insert({ tenantId: "t1", id, type: "User", attributes: { userName: `${id}@t1.example` }, created: at }));
          changes++;
          // Every other round deletes what the round before created, in a transaction that also creates.
          if (round % 2 === 1) {
            await store.write(async (s) => {
              await s.resources.delete("User", "t1", `w${w}-${round - 1}`);
              await s.resources.insert({ tenantId: "t1", id: `${id}-again`, type: "User", attributes: { userName: `${id}-again@t1.example` }, created: at });
            });
            changes += 2;
          }
        }
      }),
    );
    writing = false;
    await reader;
    const after = await figures();
    expect(after.total).toBe(after.counted);
    expect(after.counted).toBe(workers * rounds);
    expect(after.revision).toBe(changes);
    // Revisions read one after another never went back.
    expect(revisions.length).toBeGreaterThan(1);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
  });

  it("counts a tenant's deletion by its cascade without a row for the deleted tenant", async () => {
    await createTenants(store, "t2");
    await store.write(async (s) => {
      for (const id of ["a", "b", "c"]) await s.resources.insert({ tenantId: "t2", id, type: "User", attributes: { userName: id }, created: at });
      await s.resources.insert({ tenantId: "t2", id: "g", type: "Group", attributes: { displayName: "G" }, created: at });
    });
    expect(await store.write((s) => s.tenants.delete("t2"))).toBe(true);
    expect(await raw.query(sql`select * from resource_counts where tenant_id = 't2'`)).toEqual([]);
  });
});
