import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { ListPage, StoreSession } from "../store.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../testing/temp-store.js";

/*
 * Index paging of a whole tenant in id order, the way IdPs import: each page continues after the row
 * where the previous page ended (src/store/sql/page-positions.ts) while the tenant's rows are the same
 * set (resource_counts.revision), and every answer equals what LIMIT/OFFSET gives on the same data.
 */

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
});
afterEach(() => temp.dispose());

const pad = (i: number) => String(i).padStart(3, "0");

async function addUsers(tenantId: string, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await insertResource(temp.store, tenantId, "User", { userName: `user${pad(i)}@${tenantId}.example` }, `${tenantId}-u${pad(i)}`);
}

const pageOf = (session: StoreSession, startIndex: number, count: number, type: ResourceTypeName = "User", tenantId = "t1"): Promise<ListPage> =>
  session.resources.list(type, tenantId, { page: { kind: "index", startIndex, count } });

/** A page as a read gives it (where remembered positions are used). */
const read = (startIndex: number, count: number, type?: ResourceTypeName, tenantId?: string) => temp.store.read((s) => pageOf(s, startIndex, count, type, tenantId));
/** The same page by LIMIT/OFFSET: write sessions never use remembered positions. */
const byOffset = (startIndex: number, count: number, type?: ResourceTypeName, tenantId?: string) => temp.store.write((s) => pageOf(s, startIndex, count, type, tenantId));

const ids = (page: ListPage) => page.records.map((record) => record.id);

describe("index paging of a whole tenant", () => {
  it("walks every user once, in id order, with the tenant's total on every page", async () => {
    await addUsers("t1", 0, 95);
    await addUsers("t2", 0, 7);
    const seen: string[] = [];
    for (let startIndex = 1; startIndex <= 95; startIndex += 20) {
      const page = await read(startIndex, 20);
      expect(page.totalResults).toBe(95);
      expect(ids(page)).toEqual(ids(await byOffset(startIndex, 20)));
      seen.push(...ids(page));
    }
    expect(seen).toEqual(Array.from({ length: 95 }, (_, i) => `t1-u${pad(i)}`));
    expect(await read(96, 20)).toEqual({ records: [], totalResults: 95 });
    expect(ids(await read(1, 100, "User", "t2"))).toHaveLength(7);
  });

  it("continues after the previous page's last row while the tenant's rows stay the same set", async () => {
    await addUsers("t1", 0, 30);
    await read(1, 10);
    // Take t1-u003 away behind the revision's back: a page that continued from where page 1 ended
    // (after t1-u009) still starts at t1-u010, where LIMIT/OFFSET now starts one row later.
    await temp.raw(sql`delete from users where tenant_id = 't1' and id = 't1-u003'`);
    await temp.raw(sql`update resource_counts set revision = revision - 1, total = total + 1 where tenant_id = 't1' and resource_type = 'User' and shard = (select max(shard) from resource_counts where tenant_id = 't1' and resource_type = 'User' and revision > 0)`);
    expect(ids(await read(11, 10))[0]).toBe("t1-u010");
    expect(ids(await byOffset(11, 10))[0]).toBe("t1-u011");
  });

  it("pages by offset again once a user was created or deleted between pages", async () => {
    await addUsers("t1", 0, 40);
    expect(ids(await read(1, 10)).at(-1)).toBe("t1-u009");
    await temp.store.write((s) => s.resources.delete("User", "t1", "t1-u002"));
    const afterDelete = await read(11, 10);
    expect(ids(afterDelete)).toEqual(ids(await byOffset(11, 10)));
    expect(ids(afterDelete)[0]).toBe("t1-u011");
    expect(afterDelete.totalResults).toBe(39);

    await insertResource(temp.store, "t1", "User", { userName: "early@t1.example" }, "t1-u000a");
    const afterInsert = await read(21, 10);
    expect(ids(afterInsert)).toEqual(ids(await byOffset(21, 10)));
    expect(ids(afterInsert)[0]).toBe("t1-u020");
    expect(afterInsert.totalResults).toBe(40);
  });

  it("is not misled by updates, which leave the id order as it was", async () => {
    await addUsers("t1", 0, 25);
    await read(1, 10);
    await temp.store.write(async (s) => {
      const current = await s.resources.get("User", "t1", "t1-u004");
      await s.resources.update({ tenantId: "t1", id: "t1-u004", type: "User", attributes: { userName: "renamed@t1.example" }, lastModified: "2026-02-01T00:00:00.000Z", expectedVersion: current!.version });
    });
    expect(ids(await read(11, 10))).toEqual(ids(await byOffset(11, 10)));
  });

  it("answers pages asked for again, out of order, or with another count exactly as by offset", async () => {
    await addUsers("t1", 0, 50);
    for (const [startIndex, count] of [[1, 10], [11, 10], [11, 10], [1, 10], [21, 5], [26, 7], [33, 100], [11, 3], [14, 1]] as const) {
      expect(ids(await read(startIndex, count))).toEqual(ids(await byOffset(startIndex, count)));
    }
  });

  it("walks Groups the same way", async () => {
    for (let i = 0; i < 12; i++) await insertResource(temp.store, "t1", "Group", { displayName: `Group ${pad(i)}` }, `t1-g${pad(i)}`);
    const walked = [...ids(await read(1, 5, "Group")), ...ids(await read(6, 5, "Group")), ...ids(await read(11, 5, "Group"))];
    expect(walked).toEqual(Array.from({ length: 12 }, (_, i) => `t1-g${pad(i)}`));
  });
});
