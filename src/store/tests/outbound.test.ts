import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppLinkRecord, AppLogRecord, AppRecord } from "../outbound.js";
import type { StoreSession } from "../store.js";
import { createTenants, openTempStore, type TempStore } from "../testing/temp-store.js";

/* Outbound apps and the engine's rows per app (migration 0011). */

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
});
afterEach(() => temp.dispose());

const at = "2026-03-01T10:00:00.000Z";

function app(id: string, tenantId = "t1"): Omit<AppRecord, "version" | "leaseOwner" | "leaseUntil"> {
  return {
    tenantId,
    id,
    name: `App ${id}`,
    baseUrl: "https://target.example/scim/v2",
    tokenCiphertext: "v1:k:iv:tag:ct",
    tokenHint: "…abcd",
    settings: { scope: { kind: "all" }, matching: { users: ["userName", "externalId"] } },
    provisioning: "on",
    state: {},
    created: at,
    updated: at,
  };
}

function link(sourceId: string, changes: Partial<AppLinkRecord> = {}): AppLinkRecord {
  return {
    tenantId: "t1",
    appId: "a1",
    resourceType: "User",
    sourceId,
    targetId: `target-${sourceId}`,
    origin: "created",
    status: "synced",
    written: { userName: `${sourceId}@t1.example`, name: { givenName: "Ada" } },
    writtenHash: "h1",
    lastError: null,
    attempts: 0,
    nextRetryAt: null,
    updated: at,
    ...changes,
  };
}

function entry(id: string, changes: Partial<AppLogRecord> = {}): AppLogRecord {
  return {
    tenantId: "t1",
    appId: "a1",
    id,
    at,
    cycle: "initial-1",
    resourceType: "User",
    sourceId: "u1",
    targetId: "target-u1",
    action: "create",
    status: "success",
    details: { request: { method: "POST", path: "/Users", status: 201 } },
    error: null,
    fix: null,
    ...changes,
  };
}

const write = <T>(work: (session: StoreSession) => Promise<T>): Promise<T> => temp.store.write(work);
const read = <T>(work: (session: StoreSession) => Promise<T>): Promise<T> => temp.store.read(work);

describe("outbound apps", () => {
  it("creates, reads, lists and changes apps per tenant, with a version that only admin changes move", async () => {
    await write((s) => s.outbound.createApp(app("a1")));
    await write((s) => s.outbound.createApp(app("a2")));
    await write((s) => s.outbound.createApp(app("b1", "t2")));
    expect((await read((s) => s.outbound.listApps("t1"))).map((a) => a.id)).toEqual(["a1", "a2"]);
    expect(await read((s) => s.outbound.getApp("t2", "a1"))).toBeUndefined();
    const stored = await read((s) => s.outbound.getApp("t1", "a1"));
    expect(stored).toEqual({ ...app("a1"), version: 1, leaseOwner: null, leaseUntil: null });

    const changed = await write((s) => s.outbound.updateApp("t1", "a1", { name: "Renamed", provisioning: "off", settings: { scope: { kind: "assigned", groupIds: ["g1"], userIds: [] } } }, "2026-03-02T00:00:00.000Z", 1));
    expect(changed).toMatchObject({ name: "Renamed", provisioning: "off", version: 2, updated: "2026-03-02T00:00:00.000Z" });
    await expect(write((s) => s.outbound.updateApp("t1", "a1", { name: "Stale" }, at, 1))).rejects.toMatchObject({ code: "preconditionFailed" });
    expect(await write((s) => s.outbound.updateApp("t1", "missing", { name: "x" }, at))).toBeUndefined();

    expect(await write((s) => s.outbound.saveAppState("t1", "a1", { quarantine: { reason: "auth" } }))).toBe(true);
    expect(await read((s) => s.outbound.getApp("t1", "a1"))).toMatchObject({ state: { quarantine: { reason: "auth" } }, version: 2, name: "Renamed", settings: { scope: { kind: "assigned", groupIds: ["g1"], userIds: [] } } });
    expect((await read((s) => s.outbound.listActiveApps())).map((a) => a.id)).toEqual(["a2", "b1"]);
  });

  it("gives an app's lease to one owner at a time until it expires", async () => {
    await write((s) => s.outbound.createApp(app("a1")));
    const lease = (owner: string, now: string, until: string) => write((s) => s.outbound.acquireLease("t1", "a1", owner, now, until));
    expect(await lease("node-a", "2026-03-01T10:00:00.000Z", "2026-03-01T10:00:15.000Z")).toBe(true);
    expect(await lease("node-b", "2026-03-01T10:00:05.000Z", "2026-03-01T10:00:20.000Z")).toBe(false);
    expect(await lease("node-a", "2026-03-01T10:00:10.000Z", "2026-03-01T10:00:25.000Z")).toBe(true);
    // node-a stopped renewing: once its lease expired, node-b takes over.
    expect(await lease("node-b", "2026-03-01T10:00:25.000Z", "2026-03-01T10:00:40.000Z")).toBe(true);
    expect(await read((s) => s.outbound.getApp("t1", "a1"))).toMatchObject({ leaseOwner: "node-b", leaseUntil: "2026-03-01T10:00:40.000Z" });
    await write((s) => s.outbound.releaseLease("t1", "a1", "node-a"));
    expect((await read((s) => s.outbound.getApp("t1", "a1")))?.leaseOwner).toBe("node-b");
    await write((s) => s.outbound.releaseLease("t1", "a1", "node-b"));
    expect(await lease("node-c", "2026-03-01T10:00:26.000Z", "2026-03-01T10:00:41.000Z")).toBe(true);
  });

  it("keeps links per app and source object, finds them by target, and lists what is due for a retry", async () => {
    await write((s) => s.outbound.createApp(app("a1")));
    await write(async (s) => {
      await s.outbound.putLink(link("u1"));
      await s.outbound.putLink(link("u2", { status: "failed", targetId: null, origin: null, written: null, writtenHash: null, lastError: "400 invalidValue", attempts: 2, nextRetryAt: "2026-03-01T11:00:00.000Z" }));
      await s.outbound.putLink(link("u3", { status: "failed", attempts: 1, nextRetryAt: "2026-03-01T10:30:00.000Z" }));
      await s.outbound.putLink(link("g1", { resourceType: "Group", written: { displayName: "Staff" } }));
    });
    expect(await read((s) => s.outbound.getLink("a1", "User", "u1"))).toEqual(link("u1"));
    await write((s) => s.outbound.putLink(link("u1", { writtenHash: "h2", written: { userName: "u1@t1.example" } })));
    expect(await read((s) => s.outbound.getLink("a1", "User", "u1"))).toMatchObject({ writtenHash: "h2", written: { userName: "u1@t1.example" } });
    expect([...(await read((s) => s.outbound.getLinks("a1", "User", ["u1", "u3", "nobody", "g1"]))).keys()].sort()).toEqual(["u1", "u3"]);
    expect((await read((s) => s.outbound.linkOfTarget("a1", "User", "target-u3")))?.sourceId).toBe("u3");
    expect(await read((s) => s.outbound.linkOfTarget("a1", "Group", "target-u3"))).toBeUndefined();
    expect((await read((s) => s.outbound.dueLinks("a1", "2026-03-01T10:45:00.000Z", 10))).map((l) => l.sourceId)).toEqual(["u3"]);
    expect((await read((s) => s.outbound.dueLinks("a1", "2026-03-01T12:00:00.000Z", 10))).map((l) => l.sourceId)).toEqual(["u3", "u2"]);
    expect((await read((s) => s.outbound.pageLinks("a1", "User", "u1", 1))).map((l) => l.sourceId)).toEqual(["u2"]);
    expect(await read((s) => s.outbound.linkCounts("a1"))).toEqual([
      { resourceType: "Group", status: "synced", count: 1 },
      { resourceType: "User", status: "failed", count: 2 },
      { resourceType: "User", status: "synced", count: 1 },
    ]);
    expect(await write((s) => s.outbound.deleteLink("a1", "User", "u3"))).toBe(true);
    expect(await write((s) => s.outbound.deleteLink("a1", "User", "u3"))).toBe(false);
  });

  it("remembers the memberships written to each target group", async () => {
    await write((s) => s.outbound.createApp(app("a1")));
    await write(async (s) => {
      await s.outbound.addMemberships("t1", "a1", "g1", ["u3", "u1", "u2", "u1"]);
      await s.outbound.addMemberships("t1", "a1", "g2", ["u1"]);
      await s.outbound.addMemberships("t1", "a1", "g1", ["u2"]);
    });
    expect(await read((s) => s.outbound.pageMemberships("a1", "g1", undefined, 10))).toEqual(["u1", "u2", "u3"]);
    expect(await read((s) => s.outbound.pageMemberships("a1", "g1", "u1", 1))).toEqual(["u2"]);
    expect([...(await read((s) => s.outbound.hasMemberships("a1", "g1", ["u2", "u9"])))]).toEqual(["u2"]);
    expect(await read((s) => s.outbound.groupsOfMember("a1", "u1"))).toEqual(["g1", "g2"]);
    await write((s) => s.outbound.removeMemberships("a1", "g1", ["u2"]));
    await write((s) => s.outbound.forgetMember("a1", "u1"));
    expect(await read((s) => s.outbound.pageMemberships("a1", "g1", undefined, 10))).toEqual(["u3"]);
    await write((s) => s.outbound.clearMemberships("a1", "g1"));
    expect(await read((s) => s.outbound.pageMemberships("a1", "g1", undefined, 10))).toEqual([]);
  });

  it("keeps a provisioning log, newest first, filtered, totalled per day, and pruned", async () => {
    await write((s) => s.outbound.createApp(app("a1")));
    await write((s) =>
      s.outbound.appendLog([
        entry("01", { at: "2026-03-01T10:00:00.000Z" }),
        entry("02", { at: "2026-03-01T11:00:00.000Z", status: "failure", error: "409 uniqueness", fix: "Match on externalId" }),
        entry("03", { at: "2026-03-02T09:00:00.000Z", action: "update", sourceId: "u2" }),
        entry("04", { at: "2026-03-02T09:30:00.000Z", action: "disable", status: "staged" }),
      ]),
    );
    const first = await read((s) => s.outbound.listLog("a1", {}, { count: 3 }));
    expect(first.records.map((r) => r.id)).toEqual(["04", "03", "02"]);
    expect(first.next).toBe("02");
    expect((await read((s) => s.outbound.listLog("a1", {}, { before: "02", count: 3 }))).records.map((r) => r.id)).toEqual(["01"]);
    expect((await read((s) => s.outbound.listLog("a1", { status: "failure" }, { count: 10 }))).records).toEqual([entry("02", { at: "2026-03-01T11:00:00.000Z", status: "failure", error: "409 uniqueness", fix: "Match on externalId" })]);
    expect((await read((s) => s.outbound.listLog("a1", { sourceId: "u2" }, { count: 10 }))).records.map((r) => r.id)).toEqual(["03"]);
    expect((await read((s) => s.outbound.listLog("a1", { since: "2026-03-02T00:00:00.000Z", action: "disable" }, { count: 10 }))).records.map((r) => r.id)).toEqual(["04"]);
    expect(await read((s) => s.outbound.logTotals("a1", "2026-03-01T00:00:00.000Z"))).toEqual([
      { day: "2026-03-01", status: "failure", count: 1 },
      { day: "2026-03-01", status: "success", count: 1 },
      { day: "2026-03-02", status: "staged", count: 1 },
      { day: "2026-03-02", status: "success", count: 1 },
    ]);
    expect(await write((s) => s.outbound.pruneLog("a1", "2026-03-02T00:00:00.000Z", 1))).toBe(1);
    expect(await write((s) => s.outbound.pruneLog("a1", "2026-03-02T00:00:00.000Z", 10))).toBe(1);
    expect((await read((s) => s.outbound.listLog("a1", {}, { count: 10 }))).records.map((r) => r.id)).toEqual(["04", "03"]);
  });

  it("stages actions for an admin's decision and removes them when decided", async () => {
    await write((s) => s.outbound.createApp(app("a1")));
    const staged = (id: string, sourceId: string) => ({ tenantId: "t1", appId: "a1", id, resourceType: "User" as const, sourceId, action: "disable" as const, reason: "too many deletions", created: at });
    await write((s) => s.outbound.stage([staged("s1", "u1"), staged("s2", "u2"), staged("s3", "u3")]));
    expect(await read((s) => s.outbound.countStaged("a1"))).toBe(3);
    expect((await read((s) => s.outbound.listStaged("a1", { after: "s1", count: 1 }))).map((a) => a.sourceId)).toEqual(["u2"]);
    expect(await write((s) => s.outbound.unstage("a1", ["s2"]))).toBe(1);
    expect(await write((s) => s.outbound.unstage("a1"))).toBe(2);
    expect(await read((s) => s.outbound.countStaged("a1"))).toBe(0);
  });

  it("deletes an app with everything it keeps, and a tenant with its apps", async () => {
    await write((s) => s.outbound.createApp(app("a1")));
    await write((s) => s.outbound.createApp(app("a2")));
    for (const appId of ["a1", "a2"]) {
      await write(async (s) => {
        await s.outbound.putLink({ ...link("u1"), appId });
        await s.outbound.addMemberships("t1", appId, "g1", ["u1"]);
        await s.outbound.appendLog([{ ...entry("01"), appId }]);
        await s.outbound.stage([{ tenantId: "t1", appId, id: "s1", resourceType: "User", sourceId: "u1", action: "delete", reason: "r", created: at }]);
      });
    }
    const rows = async () => {
      const counts: Record<string, number> = {};
      for (const table of ["apps", "app_links", "app_memberships", "app_log", "app_staged"]) {
        counts[table] = Number((await temp.raw<{ n: unknown }>(sql`select count(*) as n from ${sql.table(table)}`))[0]!.n);
      }
      return counts;
    };
    expect(await write((s) => s.outbound.deleteApp("t1", "a1"))).toBe(true);
    expect(await write((s) => s.outbound.deleteApp("t1", "a1"))).toBe(false);
    expect(await rows()).toEqual({ apps: 1, app_links: 1, app_memberships: 1, app_log: 1, app_staged: 1 });
    await write((s) => s.tenants.delete("t1"));
    expect(await rows()).toEqual({ apps: 0, app_links: 0, app_memberships: 0, app_log: 0, app_staged: 0 });
  });
});
