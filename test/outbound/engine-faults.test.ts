import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTenants, insertResource, openTempStore, type TempStore } from "../../src/store/testing/temp-store.js";
import { startFaultTarget, type FaultTarget } from "../support/fault-target.js";
import { OutboundHarness } from "../support/outbound-harness.js";

/* How the outbound engine reacts to each fault of the fault-injecting target (issue 13), on the test project's database. */

let temp: TempStore;
let target: FaultTarget;
let harness: OutboundHarness;

beforeEach(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1");
  target = await startFaultTarget();
  harness = new OutboundHarness(temp.store);
});
afterEach(async () => {
  await harness.stop();
  await target.close();
  await temp.dispose();
});

/** Sends a request to the target as someone else would (out of band). */
async function outOfBand(method: string, path: string, body?: unknown): Promise<number> {
  const response = await fetch(`${target.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${target.token}`, "content-type": "application/scim+json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await response.arrayBuffer();
  return response.status;
}

const memberIds = (displayName: string): string[] => {
  const group = target.groups().find((candidate) => candidate["displayName"] === displayName);
  return ((group?.["members"] as { value: string }[] | undefined) ?? []).map((member) => member.value).sort();
};

async function users(count: number, prefix = "u"): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${prefix}${String(i).padStart(3, "0")}`;
    await insertResource(temp.store, "t1", "User", { userName: `${id}@t1.example` }, id);
    ids.push(id);
  }
  return ids;
}

describe("outbound engine under faults", () => {
  it("lowers the member changes per PATCH when the target refuses a size, and keeps the lowered size", async () => {
    const ids = await users(25);
    await insertResource(temp.store, "t1", "Group", { displayName: "Big" }, "g1");
    await temp.store.write((s) => s.resources.addMembers("t1", "g1", ids.map((value) => ({ value, type: "User" as const }))));
    target.setFaults({ maxPatchChanges: 10, patchLimitAnswer: "payloadTooLarge" });
    await harness.createApp(target.baseUrl, target.token);
    harness.start();
    await harness.until("the initial cycle", async () => (await harness.state()).initialDone);
    expect(memberIds("Big")).toHaveLength(25);
    expect((await harness.state()).memberChangesPerPatch).toBeLessThanOrEqual(10);
    expect(target.requests().filter((request) => request.method === "PATCH" && request.status === 413).length).toBeGreaterThan(0);
  });

  it("parks an object the target refuses (409 on create that no lookup explains) with the target's words and a fix, without blocking others", async () => {
    await users(2);
    target.setFaults({ conflictOnCreate: true, conflictScimType: null, fail: null });
    await harness.createApp(target.baseUrl, target.token);
    harness.start();
    await harness.until("the initial cycle", async () => (await harness.state()).initialDone);
    const link = await temp.store.read((s) => s.outbound.getLink("app-1", "User", "u000"));
    expect(link).toMatchObject({ status: "failed", targetId: null, attempts: 1 });
    expect(Date.parse(link!.nextRetryAt!)).toBeGreaterThan(Date.now());
    const failures = await temp.store.read((s) => s.outbound.listLog("app-1", { status: "failure" }, { count: 10 }));
    expect(failures.records).toHaveLength(2);
    expect(failures.records[0]).toMatchObject({ action: "create", error: expect.stringContaining("409"), fix: expect.any(String) });
    // Once the target accepts creates, the retry (made due now) creates it.
    target.setFaults({ conflictOnCreate: false });
    await temp.store.write(async (s) => s.outbound.putLink({ ...link!, nextRetryAt: new Date().toISOString() }));
    await harness.until("the retried create", () => target.users().length === 1);
  });

  it("re-creates an object whose target copy was deleted behind its back (404 on update)", async () => {
    await users(1);
    await harness.createApp(target.baseUrl, target.token);
    harness.start();
    await harness.until("the initial cycle", async () => (await harness.state()).initialDone);
    const first = target.users()[0]!.id;
    expect(await outOfBand("DELETE", `/Users/${first}`)).toBe(204);
    await harness.updateUser("u000", { userName: "u000@t1.example", displayName: "Changed" });
    await harness.until("the re-created user", () => target.users().length === 1 && target.users()[0]!["displayName"] === "Changed");
    expect(target.users()[0]!.id).not.toBe(first);
    // The link is written just after the target answered.
    await harness.until("the new link", async () => (await temp.store.read((s) => s.outbound.getLink("app-1", "User", "u000")))?.targetId === target.users()[0]!.id);
    expect(await temp.store.read((s) => s.outbound.getLink("app-1", "User", "u000"))).toMatchObject({ status: "synced" });
  });

  it("retries answers of 503 and slow answers, and converges", async () => {
    await users(3);
    target.setFaults({ fail: { status: 503, times: 2 }, delayMs: 150 });
    await harness.createApp(target.baseUrl, target.token);
    harness.start();
    await harness.until("the initial cycle", async () => (await harness.state()).initialDone, 30_000);
    expect(target.users()).toHaveLength(3);
    expect(target.requests().filter((request) => request.status === 503)).toHaveLength(2);
  });

  it("reads members back in a reconcile and repairs what drifted in the target", async () => {
    const ids = await users(3);
    await insertResource(temp.store, "t1", "Group", { displayName: "Staff" }, "g1");
    await temp.store.write((s) => s.resources.addMembers("t1", "g1", ids.map((value) => ({ value, type: "User" as const }))));
    await harness.createApp(target.baseUrl, target.token);
    harness.start();
    await harness.until("the initial cycle", async () => (await harness.state()).initialDone);
    const group = target.groups()[0]!;
    const lost = memberIds("Staff")[0]!;
    expect(await outOfBand("PATCH", `/Groups/${group.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "remove", path: `members[value eq "${lost}"]` }] })).toBeLessThan(300);
    expect(memberIds("Staff")).toHaveLength(2);
    const before = (await harness.state()).lastCycle!.id;
    await harness.changeState((state) => ({ ...state, lastReconcileAt: "2000-01-01T00:00:00.000Z" }));
    await harness.until("the reconcile", async () => (await harness.state()).lastCycle?.id !== before);
    expect((await harness.state()).lastCycle).toMatchObject({ kind: "reconcile", outcome: "completed" });
    expect(memberIds("Staff")).toHaveLength(3);
  });

  it("goes on when the target returns groups without members (it cannot verify them) and when it has no ServiceProviderConfig", async () => {
    const ids = await users(2);
    await insertResource(temp.store, "t1", "Group", { displayName: "Staff" }, "g1");
    await temp.store.write((s) => s.resources.addMembers("t1", "g1", ids.map((value) => ({ value, type: "User" as const }))));
    target.setFaults({ groupsWithoutMembers: true, noServiceProviderConfig: true });
    await harness.createApp(target.baseUrl, target.token);
    harness.start();
    await harness.until("the initial cycle", async () => (await harness.state()).initialDone);
    const before = (await harness.state()).lastCycle!.id;
    await harness.changeState((state) => ({ ...state, lastReconcileAt: "2000-01-01T00:00:00.000Z" }));
    await harness.until("the reconcile", async () => (await harness.state()).lastCycle?.id !== before);
    // Nothing was sent again: the missing member list is not taken for an empty group.
    const memberPatches = target.requests().filter((request) => request.method === "PATCH" && request.path.includes("/Groups/"));
    expect(memberPatches).toHaveLength(1);
    expect(harness.errors).toEqual([]);
  });

  it("matches an object that a lookup by id would not find (404 on GET by id does not matter: the engine looks up by filter)", async () => {
    target.addUser({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "u000@t1.example" });
    await users(1);
    target.setFaults({ notFoundOnGet: true });
    await harness.createApp(target.baseUrl, target.token);
    harness.start();
    await harness.until("the initial cycle", async () => (await harness.state()).initialDone);
    expect(target.users()).toHaveLength(1);
    expect(await temp.store.read((s) => s.outbound.getLink("app-1", "User", "u000"))).toMatchObject({ origin: "adopted" });
  });
});
