import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StatementKind, StoreObserver } from "../store-observer.js";
import { createTenants, openTempStore, type TempStore } from "../testing/temp-store.js";

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1");
});
afterEach(() => temp.dispose());

/** An observer that counts statements by kind and outcome, and keeps group commits. */
function counting() {
  const counts = new Map<string, number>();
  const commits: number[] = [];
  const observer: StoreObserver = {
    statement: (kind: StatementKind, seconds: number, failed: boolean) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      const key = `${kind}${failed ? " failed" : ""}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    writeQueued: (seconds) => expect(seconds).toBeGreaterThanOrEqual(0),
    groupCommitted: (size) => void commits.push(size),
  };
  return { counts, commits, observer };
}

describe("observe", () => {
  it("reports the statements of reads and writes by kind, with their transactions, until detached", async () => {
    const { counts, commits, observer } = counting();
    const detach = temp.store.observe(observer);
    expect(await temp.store.read((s) => s.tenants.count())).toBe(1);
    await temp.store.write((s) => s.settings.setIfAbsent("observed", "yes"));
    expect(counts.get("select")).toBeGreaterThanOrEqual(1);
    expect(counts.get("insert")).toBeGreaterThanOrEqual(1);
    // BEGIN and COMMIT of both transactions.
    expect(counts.get("transaction")).toBeGreaterThanOrEqual(4);
    if (temp.kind === "sqlite") expect(commits).toEqual([1]);
    else expect(commits).toEqual([]);

    detach();
    const before = JSON.stringify([...counts]);
    await temp.store.read((s) => s.tenants.count());
    expect(JSON.stringify([...counts])).toBe(before);
  });

  it("reports a statement the database refuses as failed", async () => {
    const { counts, observer } = counting();
    temp.store.observe(observer);
    await expect(temp.store.write((s) => s.tenants.create({ id: "t1-again", slug: "t1", name: "Again", created: new Date().toISOString() }))).rejects.toThrow();
    expect(counts.get("insert failed")).toBe(1);
  });
});

describe("poolUsage", () => {
  it("tells the pool's connections on PostgreSQL and is undefined on SQLite", async () => {
    const usage = temp.store.poolUsage();
    if (temp.kind === "sqlite") {
      expect(usage).toBeUndefined();
      return;
    }
    expect(usage).toEqual({ total: expect.any(Number), idle: expect.any(Number), waiting: 0, max: 10 });
    expect(usage!.total).toBeGreaterThanOrEqual(1);
    expect(usage!.idle).toBeLessThanOrEqual(usage!.total);
  });
});
