import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Store, StoreSession } from "../store/store.js";
import { createTenants, openTempStore, type TempStore } from "../store/testing/temp-store.js";
import { ActivityRecorder, type ActivityEvent } from "./activity-recorder.js";

let temp: TempStore;
let writes: number;
/** The temp store, counting write transactions. */
let store: Store;
beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
  writes = 0;
  store = {
    dialect: temp.store.dialect,
    lookup: temp.store.lookup,
    read: (work) => temp.store.read(work),
    write: <T>(work: (session: StoreSession) => Promise<T>) => {
      writes += 1;
      return temp.store.write(work);
    },
    schemaStatus: () => temp.store.schemaStatus(),
    migrate: () => temp.store.migrate(),
    observe: (observer) => temp.store.observe(observer),
    poolUsage: () => temp.store.poolUsage(),
    close: () => temp.store.close(),
  };
});
afterEach(async () => {
  vi.useRealTimers();
  await temp.dispose();
});

function event(tenantId: string, status = 200): ActivityEvent {
  return { tenantId, tokenId: "k1", clientName: "Okta", method: "GET", path: "/Users", resource: "Users", status, outcome: status < 400 ? "success" : "failure", errorCode: null, errorDetail: null, durationMs: 2, requestId: "r1" };
}

const stored = (tenantId: string) => temp.store.read((s) => s.activity.list(tenantId, {}, { count: 200 }));

describe("recording", () => {
  it("writes nothing per request: everything recorded within the flush interval goes in one transaction", async () => {
    vi.useFakeTimers();
    const recorder = new ActivityRecorder(store, { retentionDays: 30, flushMillis: 1000 });
    for (let i = 0; i < 50; i++) recorder.record(event(i % 2 === 0 ? "t1" : "t2"));
    expect(writes).toBe(0);
    expect(recorder.pending).toBe(50);
    await vi.advanceTimersByTimeAsync(1000);
    await recorder.flush();
    expect(writes).toBe(1);
    expect((await stored("t1")).total).toBe(25);
    expect((await stored("t2")).total).toBe(25);
    expect(recorder.pending).toBe(0);
  });

  it("stamps entries with the clock and ids in recording order", async () => {
    const times = [Date.UTC(2026, 4, 1, 10), Date.UTC(2026, 4, 1, 10), Date.UTC(2026, 4, 1, 11)];
    const recorder = new ActivityRecorder(store, { retentionDays: 30, now: () => new Date(times.shift()!) });
    recorder.record({ ...event("t1"), requestId: "a" });
    recorder.record({ ...event("t1"), requestId: "b" });
    recorder.record({ ...event("t1"), requestId: "c" });
    await recorder.stop();
    const page = await stored("t1");
    expect(page.records.map((r) => [r.requestId, r.at])).toEqual([
      ["c", "2026-05-01T11:00:00.000Z"],
      ["b", "2026-05-01T10:00:00.000Z"],
      ["a", "2026-05-01T10:00:00.000Z"],
    ]);
  });

  it("writes a large buffer in bounded transactions, letting other work run between them", async () => {
    const recorder = new ActivityRecorder(store, { retentionDays: 30, writeBatch: 100 });
    for (let i = 0; i < 1000; i++) recorder.record(event("t1"));
    let turns = 0;
    let done = false;
    const count = () => {
      turns += 1;
      if (!done) setImmediate(count);
    };
    setImmediate(count);
    await recorder.flush();
    done = true;
    expect(writes).toBe(10);
    // Between two of the ten transactions the event loop took at least one turn (one transaction would give none on SQLite).
    expect(turns).toBeGreaterThanOrEqual(9);
    expect((await temp.store.read((s) => s.activity.countSince("t1", "2000-01-01T00:00:00.000Z"))).requests).toBe(1000);
    await recorder.stop();
  });

  it("writes what is buffered when stopped, and schedules nothing afterwards", async () => {
    const recorder = new ActivityRecorder(store, { retentionDays: 30, flushMillis: 60_000 });
    recorder.record(event("t1"));
    await recorder.stop();
    expect((await stored("t1")).total).toBe(1);
    recorder.record(event("t1"));
    expect(writes).toBe(1);
  });

  it("keeps at most maxBuffered entries while the database cannot take them", async () => {
    const recorder = new ActivityRecorder(store, { retentionDays: 30, flushMillis: 60_000, maxBuffered: 3 });
    for (let i = 0; i < 5; i++) recorder.record(event("t1"));
    expect(recorder.pending).toBe(3);
    await recorder.stop();
  });

  it("keeps the entries of a failed write for the next one and reports the failure", async () => {
    const errors: string[] = [];
    let fail = true;
    const flaky: Store = { ...store, write: (work) => (fail ? Promise.reject(new Error("disk full")) : store.write(work)) };
    const recorder = new ActivityRecorder(flaky, { retentionDays: 30, flushMillis: 60_000, onError: (error, action) => errors.push(`${action}: ${(error as Error).message}`) });
    recorder.record(event("t1"));
    await expect(recorder.flush()).rejects.toThrow("disk full");
    expect(recorder.pending).toBe(1);
    fail = false;
    await recorder.stop();
    expect((await stored("t1")).total).toBe(1);
  });
});

describe("reporting", () => {
  it("tells its observer about every write, failed write and dropped entry", async () => {
    const told: string[] = [];
    let fail = true;
    const flaky: Store = { ...store, write: (work) => (fail ? Promise.reject(new Error("disk full")) : store.write(work)) };
    const observer = {
      flushed: (entries: number, seconds: number) => void told.push(`flushed ${entries} in ${seconds >= 0 ? "some" : "negative"} seconds`),
      flushFailed: (entries: number) => void told.push(`failed ${entries}`),
      dropped: () => void told.push("dropped"),
    };
    const recorder = new ActivityRecorder(flaky, { retentionDays: 30, flushMillis: 60_000, maxBuffered: 2, observer });
    for (let i = 0; i < 3; i++) recorder.record(event("t1"));
    await expect(recorder.flush()).rejects.toThrow("disk full");
    fail = false;
    await recorder.stop();
    expect(told).toEqual(["dropped", "failed 2", "flushed 2 in some seconds"]);
  });
});

describe("pruning", () => {
  it("deletes entries older than the retention of every tenant, in bounded transactions", async () => {
    const old = Date.UTC(2026, 0, 1);
    let clock = old;
    const recorder = new ActivityRecorder(store, { retentionDays: 30, pruneBatch: 4, now: () => new Date(clock) });
    for (let i = 0; i < 10; i++) recorder.record(event("t1"));
    for (let i = 0; i < 3; i++) recorder.record(event("t2"));
    clock = old + 31 * 86_400_000;
    recorder.record(event("t1"));
    await recorder.flush();
    writes = 0;
    expect(await recorder.prune()).toBe(13);
    // t1: 4 + 4 + 2 (the last batch is short), t2: 3.
    expect(writes).toBe(4);
    expect((await stored("t1")).total).toBe(1);
    expect((await stored("t2")).total).toBe(0);
    await recorder.stop();
  });

  it("prunes once when started, then on its interval", async () => {
    const recorder = new ActivityRecorder(store, { retentionDays: 1, pruneMillis: 50, now: () => new Date(Date.UTC(2026, 0, 1)) });
    await temp.store.write((s) =>
      s.activity.append([{ ...event("t1"), id: "old", at: "2025-01-01T00:00:00.000Z" }]),
    );
    recorder.start();
    await vi.waitFor(async () => expect((await stored("t1")).total).toBe(0));
    await temp.store.write((s) => s.activity.append([{ ...event("t1"), id: "old2", at: "2025-01-01T00:00:00.000Z" }]));
    await vi.waitFor(async () => expect((await stored("t1")).total).toBe(0));
    await recorder.stop();
  });
});
