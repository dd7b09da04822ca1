import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTenants, insertResource, openTempStore, type TempStore } from "../testing/temp-store.js";

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
  for (const tenantId of ["t1", "t2"]) {
    await insertResource(temp.store, tenantId, "User", { userName: `ann@${tenantId}.example`, emails: [{ value: `ann@${tenantId}.example` }] }, `${tenantId}-u1`);
    await insertResource(temp.store, tenantId, "User", { userName: `bob@${tenantId}.example` }, `${tenantId}-u2`);
    await insertResource(temp.store, tenantId, "Group", { displayName: "Staff" }, `${tenantId}-g1`);
    await temp.store.write(async (s) => {
      await s.resources.addMembers(tenantId, `${tenantId}-g1`, [{ value: `${tenantId}-u1`, type: "User" }, { value: `${tenantId}-u2`, type: "User" }]);
      await s.tokens.create({ id: `${tenantId}-k`, tenantId, clientName: "IdP", hint: "abcd", secretHash: "0".repeat(64), created: "2026-01-01T00:00:00.000Z" });
      await s.activity.append([
        { tenantId, id: `${tenantId}-a`, at: "2026-01-01T00:00:00.000Z", tokenId: `${tenantId}-k`, clientName: "IdP", method: "GET", path: "/Users", resource: "Users", status: 200, outcome: "success", errorCode: null, errorDetail: null, durationMs: 1, requestId: "r" },
      ]);
    });
  }
});
afterEach(() => temp.dispose());

const tables = ["users", "user_emails", "groups", "group_members", "search_terms", "tokens", "activity"];

/** Rows per table that belong to a tenant, read straight from the database. */
async function rowsOf(tenantId: string): Promise<Record<string, number>> {
  const count = async (table: string, column: string) => Number((await temp.raw<{ n: unknown }>(sql`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${tenantId}`))[0]!.n);
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await count(table, "tenant_id");
  counts.tenants = await count("tenants", "id");
  return counts;
}

describe("delete", () => {
  it("removes every row of the tenant in every table and nothing of another tenant", async () => {
    const before = await rowsOf("t2");
    expect(Object.values(await rowsOf("t1")).every((n) => n > 0)).toBe(true);
    expect(await temp.store.write((s) => s.tenants.delete("t1"))).toBe(true);
    expect(await rowsOf("t1")).toEqual({ users: 0, user_emails: 0, groups: 0, group_members: 0, search_terms: 0, tokens: 0, activity: 0, tenants: 0 });
    expect(await rowsOf("t2")).toEqual(before);
    expect(await temp.store.read((s) => s.tokens.get("t1-k"))).toBeUndefined();
    expect(await temp.store.read((s) => s.tenants.bySlug("t2"))).toBeDefined();
  });

  it("answers false for a tenant that does not exist", async () => {
    expect(await temp.store.write((s) => s.tenants.delete("nope"))).toBe(false);
  });

  it("keeps everything when the transaction rolls back", async () => {
    const failing = temp.store.write(async (s) => {
      await s.tenants.delete("t1");
      throw new Error("changed my mind");
    });
    await expect(failing).rejects.toThrow("changed my mind");
    expect(Object.values(await rowsOf("t1")).every((n) => n > 0)).toBe(true);
  });
});

describe("rename", () => {
  it("changes the name only, and answers undefined for an unknown tenant", async () => {
    expect(await temp.store.write((s) => s.tenants.rename("t1", "Acme Corp"))).toEqual({ id: "t1", slug: "t1", name: "Acme Corp", created: "2026-01-01T00:00:00.000Z" });
    expect((await temp.store.read((s) => s.tenants.bySlug("t2")))?.name).toBe("t2");
    expect(await temp.store.write((s) => s.tenants.rename("nope", "X"))).toBeUndefined();
  });
});
