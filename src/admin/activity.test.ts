import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProvisioningContext } from "../provisioning/context.js";
import { CursorCodec } from "../scim/cursor.js";
import { registry } from "../scim/schema/registry.js";
import type { ActivityRecord, TenantRecord } from "../store/store.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../store/testing/temp-store.js";
import { listActivity, parseActivityQuery } from "./activity.js";
import type { RawQuery } from "./paging.js";
import { tenantStats } from "./stats.js";

let temp: TempStore;
let ctx: ProvisioningContext;
let t1: TenantRecord;
let t2: TenantRecord;
const now = Date.UTC(2026, 5, 1, 12);

function entry(tenantId: string, i: number, extra: Partial<ActivityRecord> = {}): ActivityRecord {
  return { tenantId, id: `${tenantId}-${String(i).padStart(3, "0")}`, at: new Date(now - (100 - i) * 3_600_000).toISOString(), tokenId: i % 2 ? "k1" : "k2", clientName: "Okta", method: "GET", path: "/Users", resource: i % 3 ? "Users" : "Groups", status: i % 4 ? 200 : 409, outcome: i % 4 ? "success" : "failure", errorCode: null, errorDetail: null, durationMs: 1, requestId: `r${i}`, ...extra };
}

beforeEach(async () => {
  temp = await openTempStore();
  ctx = { store: temp.store, registry, cursors: new CursorCodec(randomBytes(32)), now: () => new Date(now) };
  await createTenants(temp.store, "t1", "t2");
  t1 = (await temp.store.read((s) => s.tenants.bySlug("t1")))!;
  t2 = (await temp.store.read((s) => s.tenants.bySlug("t2")))!;
  await temp.store.write((s) => s.activity.append([...Array.from({ length: 100 }, (_, i) => entry("t1", i)), entry("t2", 99)]));
});
afterEach(() => temp.dispose());

function parsed(tenant: TenantRecord, query: RawQuery) {
  const result = parseActivityQuery(ctx, tenant, query);
  if (!result.ok) throw result.error;
  return result.value;
}

describe("listActivity", () => {
  it("pages newest first with filters, and a cursor that only fits the same filters", async () => {
    const first = await listActivity(ctx, t1, parsed(t1, { outcome: "failure", count: "10" }));
    expect(first.total).toBe(25);
    expect(first.records.map((r) => r.id).slice(0, 3)).toEqual(["t1-096", "t1-092", "t1-088"]);
    const second = await listActivity(ctx, t1, parsed(t1, { outcome: "failure", count: "10", cursor: first.nextCursor! }));
    expect(second.records[0]?.id).toBe("t1-056");
    const third = await listActivity(ctx, t1, parsed(t1, { outcome: "failure", count: "10", cursor: second.nextCursor! }));
    expect(third.records).toHaveLength(5);
    expect(third.nextCursor).toBeNull();
    expect(parseActivityQuery(ctx, t1, { cursor: first.nextCursor! })).toMatchObject({ ok: false, error: { field: "cursor" } });
    expect(parseActivityQuery(ctx, t2, { outcome: "failure", cursor: first.nextCursor! })).toMatchObject({ ok: false, error: { field: "cursor" } });
  });

  it("filters by token and resource", async () => {
    expect((await listActivity(ctx, t1, parsed(t1, { tokenId: "k1" }))).total).toBe(50);
    expect((await listActivity(ctx, t1, parsed(t1, { resource: "Groups", tokenId: "k2" }))).total).toBe(17);
    expect((await listActivity(ctx, t2, parsed(t2, {}))).records.map((r) => r.id)).toEqual(["t2-099"]);
  });

  it.each([
    [{ outcome: "failed" }, "outcome"],
    [{ resource: "users" }, "resource"],
    [{ tokenId: ["a", "b"] }, "tokenId"],
    [{ count: "500" }, "count"],
  ])("refuses %j naming the parameter", (query, field) => {
    expect(parseActivityQuery(ctx, t1, query as RawQuery)).toMatchObject({ ok: false, error: { code: "invalid", field } });
  });
});

describe("tenantStats", () => {
  it("counts users, active users (a user without active counts as active), groups, and requests and failures of the last 24 hours", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "a", active: true });
    await insertResource(temp.store, "t1", "User", { userName: "b", active: false });
    await insertResource(temp.store, "t1", "User", { userName: "c" });
    await insertResource(temp.store, "t1", "Group", { displayName: "g" });
    // Entries 76..99 are within 24 hours of `now` (entry i is 100 - i hours old); 76, 80, …, 96 failed.
    expect(await tenantStats(ctx, t1, 30)).toEqual({ users: 3, activeUsers: 2, groups: 1, requests24h: 24, errors24h: 6, activityRetentionDays: 30 });
    expect(await tenantStats(ctx, t2, 7)).toEqual({ users: 0, activeUsers: 0, groups: 0, requests24h: 1, errors24h: 0, activityRetentionDays: 7 });
  });
});
