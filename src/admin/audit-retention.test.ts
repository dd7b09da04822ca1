import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEventRecord } from "../store/store.js";
import { openTempStore, type TempStore } from "../store/testing/temp-store.js";
import { AuditRetention } from "./audit-retention.js";

let temp: TempStore;
let clock: Date;
beforeEach(async () => {
  temp = await openTempStore();
  clock = new Date("2026-03-01T00:00:00.000Z");
});
afterEach(() => temp.dispose());

const day = 86_400_000;

/** An event `daysAgo` days before the test's start. */
function event(daysAgo: number, n = 0): AuditEventRecord {
  const at = new Date(Date.parse("2026-03-01T00:00:00.000Z") - daysAgo * day + n);
  return { id: `e-${at.toISOString()}`, occurredAt: at.toISOString(), actorKind: "cli", actorId: null, actorLabel: "root", address: null, userAgent: null, action: "tenant.created", targetKind: null, targetId: null, targetLabel: null, tenantId: null, tenantSlug: null, outcome: "success", reason: null, details: {} };
}

const events = () => temp.store.read((s) => s.audit.list({}, { count: 1000 }));

describe("AuditRetention", () => {
  it("keeps events for the retention and deletes older ones once the clock has moved past it, saying so in the log", async () => {
    await temp.store.write(async (s) => {
      for (const daysAgo of [400, 366, 364.5, 10, 0]) await s.audit.append(event(daysAgo));
    });
    const retention = new AuditRetention(temp.store, { retentionDays: 365, now: () => clock });
    expect(await retention.prune()).toBe(2);
    const after = (await events()).records;
    expect(after.filter((e) => e.action === "tenant.created")).toHaveLength(3);
    const pruned = after.filter((e) => e.action === "audit.pruned");
    expect(pruned).toEqual([
      expect.objectContaining({ actorKind: "system", actorLabel: "audit retention", outcome: "success", occurredAt: clock.toISOString(), details: { deleted: 2, before: "2025-03-01T00:00:00.000Z", retentionDays: 365 } }),
    ]);

    expect(await retention.prune()).toBe(0);
    expect((await events()).records.filter((e) => e.action === "audit.pruned")).toHaveLength(1);

    // A day later the event of 364.5 days ago has expired too; nothing younger goes.
    clock = new Date(clock.getTime() + day);
    expect(await retention.prune()).toBe(1);
    expect((await events()).records.filter((e) => e.action === "tenant.created").map((e) => e.occurredAt)).toEqual([event(0).occurredAt, event(10).occurredAt]);
  });

  it("deletes a large backlog in bounded batches, one audit.pruned event per batch", async () => {
    await temp.store.write(async (s) => {
      for (let n = 0; n < 23; n++) await s.audit.append(event(500, n));
    });
    const retention = new AuditRetention(temp.store, { retentionDays: 30, pruneBatch: 10, now: () => clock });
    expect(await retention.prune()).toBe(23);
    const pruned = (await events()).records.filter((e) => e.action === "audit.pruned");
    expect(pruned.map((e) => e.details.deleted).sort()).toEqual([10, 10, 3]);
    expect((await events()).records).toHaveLength(3);
  });

  it("prunes at start and on its interval, and stops cleanly", async () => {
    await temp.store.write((s) => s.audit.append(event(100)));
    const retention = new AuditRetention(temp.store, { retentionDays: 30, pruneMillis: 50, now: () => clock });
    retention.start();
    await expect.poll(async () => (await events()).records.some((e) => e.action === "audit.pruned")).toBe(true);
    await temp.store.write((s) => s.audit.append(event(100, 1)));
    await expect.poll(async () => (await events()).records.filter((e) => e.action === "audit.pruned").length).toBe(2);
    await retention.stop();
  });
});
