import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActivityRecord } from "../store.js";
import { createTenants, openTempStore, type TempStore } from "../testing/temp-store.js";

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
});
afterEach(() => temp.dispose());

/** An entry at minute `minute` of 2026-03-01; ids sort as the minutes do, like newId()s. */
function entry(tenantId: string, minute: number, extra: Partial<ActivityRecord> = {}): ActivityRecord {
  const at = new Date(Date.UTC(2026, 2, 1, 0, minute)).toISOString();
  return {
    tenantId,
    id: `${tenantId}-${String(minute).padStart(4, "0")}`,
    at,
    tokenId: "k1",
    clientName: "Azure AD SCIM",
    method: "GET",
    path: "/Users",
    resource: "Users",
    status: 200,
    outcome: "success",
    errorCode: null,
    errorDetail: null,
    durationMs: 1.5,
    requestId: `req-${minute}`,
    ...extra,
  };
}

const append = (entries: ActivityRecord[]) => temp.store.write((s) => s.activity.append(entries));
const list = (tenantId: string, filter = {}, page: { before?: string; count: number } = { count: 50 }) => temp.store.read((s) => s.activity.list(tenantId, filter, page));

describe("append", () => {
  it("stores every field and reads it back unchanged", async () => {
    const failed = entry("t1", 1, { tokenId: null, clientName: null, method: "PATCH", path: "/Users/u1", status: 400, outcome: "failure", errorCode: "invalidPath", errorDetail: "The path is bad.", durationMs: 12.25 });
    expect(await append([failed])).toBe(1);
    expect((await list("t1")).records).toEqual([failed]);
  });

  it("drops entries of tenants that do not exist (deleted while the entries were buffered)", async () => {
    expect(await append([entry("t1", 1), entry("gone", 2)])).toBe(1);
    expect((await list("gone")).total).toBe(0);
    expect((await list("t1")).total).toBe(1);
  });

  it("ignores an entry written twice", async () => {
    await append([entry("t1", 1)]);
    await append([entry("t1", 1), entry("t1", 2)]);
    expect((await list("t1")).records.map((r) => r.id)).toEqual(["t1-0002", "t1-0001"]);
  });

  it("writes a batch larger than one statement carries", async () => {
    expect(await append(Array.from({ length: 1200 }, (_, i) => entry("t1", i)))).toBe(1200);
    expect((await list("t1")).total).toBe(1200);
  });
});

describe("list", () => {
  beforeEach(async () => {
    const entries: ActivityRecord[] = [];
    for (let minute = 0; minute < 30; minute++) {
      const failed = minute % 3 === 0;
      entries.push(
        entry("t1", minute, {
          tokenId: minute % 2 === 0 ? "k1" : "k2",
          resource: minute % 5 === 0 ? "Groups" : "Users",
          ...(failed ? { status: 409, outcome: "failure" as const, errorCode: "uniqueness", errorDetail: "taken" } : {}),
        }),
      );
    }
    entries.push(entry("t2", 10), entry("t2", 40));
    await append(entries);
  });

  it("pages a tenant newest first with a cursor until the last page", async () => {
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await list("t1", {}, { count: 7, ...(before ? { before } : {}) });
      expect(page.total).toBe(30);
      seen.push(...page.records.map((r) => r.id));
      if (!page.next) break;
      before = page.next;
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => `t1-${String(29 - i).padStart(4, "0")}`));
  });

  it("has no next cursor when the page ends exactly at the last entry", async () => {
    const page = await list("t1", {}, { count: 30 });
    expect(page.records).toHaveLength(30);
    expect(page.next).toBeUndefined();
  });

  it("filters by outcome, token and resource, together and apart", async () => {
    expect((await list("t1", { outcome: "failure" })).total).toBe(10);
    expect((await list("t1", { outcome: "success" })).total).toBe(20);
    expect((await list("t1", { tokenId: "k2" })).total).toBe(15);
    expect((await list("t1", { resource: "Groups" })).records.map((r) => r.id)).toEqual(["t1-0025", "t1-0020", "t1-0015", "t1-0010", "t1-0005", "t1-0000"]);
    const combined = await list("t1", { outcome: "failure", tokenId: "k1", resource: "Groups" });
    expect(combined.records.map((r) => r.id)).toEqual(["t1-0000"]);
    expect(combined.total).toBe(1);
    expect((await list("t1", { tokenId: "unknown" })).records).toEqual([]);
  });

  it("never returns another tenant's entries", async () => {
    const t2 = await list("t2");
    expect(t2.records.map((r) => r.id)).toEqual(["t2-0040", "t2-0010"]);
    expect((await list("t1")).records.every((r) => r.tenantId === "t1")).toBe(true);
    expect((await list("t3")).total).toBe(0);
  });
});

describe("countSince", () => {
  it("counts requests and failures at or after a time, per tenant", async () => {
    await append([entry("t1", 1), entry("t1", 2, { outcome: "failure", status: 500 }), entry("t1", 3), entry("t1", 4, { outcome: "failure", status: 401 }), entry("t2", 3, { outcome: "failure" })]);
    const since = new Date(Date.UTC(2026, 2, 1, 0, 2)).toISOString();
    expect(await temp.store.read((s) => s.activity.countSince("t1", since))).toEqual({ requests: 3, failures: 2 });
    expect(await temp.store.read((s) => s.activity.countSince("t2", since))).toEqual({ requests: 1, failures: 1 });
    expect(await temp.store.read((s) => s.activity.countSince("t1", "2027-01-01T00:00:00.000Z"))).toEqual({ requests: 0, failures: 0 });
  });
});

describe("prune", () => {
  it("deletes at most `limit` entries older than the cutoff, oldest first, of one tenant only", async () => {
    await append([...Array.from({ length: 10 }, (_, i) => entry("t1", i)), ...Array.from({ length: 10 }, (_, i) => entry("t2", i))]);
    const cutoff = new Date(Date.UTC(2026, 2, 1, 0, 6)).toISOString();
    expect(await temp.store.write((s) => s.activity.prune("t1", cutoff, 4))).toBe(4);
    expect((await list("t1")).records.map((r) => r.id).slice(-2)).toEqual(["t1-0005", "t1-0004"]);
    expect(await temp.store.write((s) => s.activity.prune("t1", cutoff, 4))).toBe(2);
    expect(await temp.store.write((s) => s.activity.prune("t1", cutoff, 4))).toBe(0);
    expect((await list("t1")).total).toBe(4);
    expect((await list("t2")).total).toBe(10);
  });
});
