import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/scim/json.js";
import { createTenants, insertResource, openTempStore, type TempStore } from "../../src/store/testing/temp-store.js";
import { startFaultTarget, type FaultTarget } from "../support/fault-target.js";
import { OutboundEngine } from "../../src/outbound/engine/outbound-engine.js";
import { OutboundHarness } from "../support/outbound-harness.js";

/* The outbound engine against the fault-injecting SCIM target, on the test project's database. */

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

const createApp = (settings: Parameters<OutboundHarness["createApp"]>[2] = {}) => harness.createApp(target.baseUrl, target.token, settings);
const startEngine = (runner: Parameters<OutboundHarness["start"]>[0] = {}) => harness.start(runner);
const until = <T>(what: string, probe: () => T | Promise<T>, ms?: number) => harness.until(what, probe, ms);
const state = () => harness.state();
const update = (id: string, attributes: JsonObject) => harness.updateUser(id, attributes);

const userNames = () => target.users().map((user) => user["userName"] as string).sort();
const memberNames = (displayName: string) => {
  const group = target.groups().find((candidate) => candidate["displayName"] === displayName);
  const ids = ((group?.["members"] as { value: string }[] | undefined) ?? []).map((member) => member.value);
  return target.users().filter((user) => ids.includes(user.id)).map((user) => user["userName"] as string).sort();
};

describe("outbound engine", () => {
  it("pushes the directory in an initial cycle, then every change from the feed", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "boss@t1.example", displayName: "Boss" }, "u-boss");
    await insertResource(temp.store, "t1", "User", { userName: "ann@t1.example", name: { givenName: "Ann" }, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: "u-boss" }, department: "Sales" } }, "u-ann");
    await insertResource(temp.store, "t1", "User", { userName: "bob@t1.example", active: false }, "u-bob");
    await insertResource(temp.store, "t1", "Group", { displayName: "Staff" }, "g-staff");
    await temp.store.write((s) => s.resources.addMembers("t1", "g-staff", [{ value: "u-ann", type: "User" }, { value: "u-boss", type: "User" }]));
    await createApp();
    startEngine();

    await until("the initial cycle", async () => (await state()).initialDone);
    expect(userNames()).toEqual(["ann@t1.example", "bob@t1.example", "boss@t1.example"]);
    expect(memberNames("Staff")).toEqual(["ann@t1.example", "boss@t1.example"]);
    const boss = target.users().find((user) => user["userName"] === "boss@t1.example")!;
    const ann = () => target.users().find((user) => user["userName"] === "ann@t1.example")!;
    expect(ann()["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]).toMatchObject({ department: "Sales", manager: { value: boss.id } });
    expect(target.users().find((user) => user["userName"] === "bob@t1.example")!["active"]).toBe(false);
    expect((await state()).lastCycle).toMatchObject({ kind: "initial", outcome: "completed", counts: { created: 4 } });

    // Incremental: an update, a cleared value, a membership change, a new user, a deletion.
    target.clearRequests();
    await update("u-ann", { userName: "ann@t1.example", name: { givenName: "Anna" }, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: "u-boss" } } });
    await until("the update", () => (ann()["name"] as { givenName?: string } | undefined)?.givenName === "Anna");
    await until("the cleared department", () => (ann()["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] as JsonObject)["department"] === undefined);
    expect(target.requests().filter((request) => request.method !== "GET").map((request) => `${request.method} ${request.path}`)).toEqual([`PATCH /Users/${ann().id}`]);

    await insertResource(temp.store, "t1", "User", { userName: "cy@t1.example" }, "u-cy");
    await temp.store.write(async (s) => {
      await s.resources.addMembers("t1", "g-staff", [{ value: "u-cy", type: "User" }]);
      await s.resources.removeMembers("t1", "g-staff", ["u-boss"]);
    });
    await until("the new member", () => JSON.stringify(memberNames("Staff")) === JSON.stringify(["ann@t1.example", "cy@t1.example"]));
    await temp.store.write((s) => s.resources.delete("User", "t1", "u-bob"));
    await until("the deletion", () => !userNames().includes("bob@t1.example"));
    // The target answers the DELETE a moment before the engine commits its log entry.
    const actions = async () => (await temp.store.read((s) => s.outbound.listLog("app-1", {}, { count: 100 }))).records.map((entry) => `${entry.action} ${entry.status}`);
    await until("the deletion's log entry", async () => (await actions()).includes("delete success"));
    expect(await actions()).toEqual(expect.arrayContaining(["create success", "update success", "members success", "delete success"]));
    // Each entry names its object, even once it is gone from Muster.
    const logs = await temp.store.read((s) => s.outbound.listLog("app-1", {}, { count: 100 }));
    expect(logs.records.find((entry) => entry.action === "delete")?.details["display"]).toBe("bob@t1.example");
    expect(logs.records.find((entry) => entry.action === "members")?.details["display"]).toBe("Staff");
    expect(harness.errors).toEqual([]);
  });

  it("prunes old changes and log entries, and an app that missed pruned changes evaluates everything again", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "first@t1.example" }, "u1");
    await createApp();
    startEngine();
    await until("the initial cycle", async () => (await state()).initialDone);
    await harness.stop();
    await insertResource(temp.store, "t1", "User", { userName: "while-stopped@t1.example" }, "u2");
    const engine = new OutboundEngine(temp.store, harness.keyring, { clients: { allowPrivateAddresses: true } });
    const later = new Date(Date.now() + 40 * 86_400_000);
    expect(await engine.prune(later)).toEqual({ changes: 2, log: 1 });
    expect(await temp.store.read((s) => s.changes.read("t1", undefined, 10))).toEqual([]);
    harness.start();
    await until("the missed user", () => target.users().some((user) => user["userName"] === "while-stopped@t1.example"));
    await until("the reconcile's end", async () => (await state()).lastCycle?.kind === "reconcile");
  });

  it("starts a cycle over when the settings change in its middle, so the objects it had passed are judged again", async () => {
    for (let i = 0; i < 30; i++) await insertResource(temp.store, "t1", "User", { userName: `user${String(i).padStart(2, "0")}@t1.example` }, `u-${String(i).padStart(2, "0")}`);
    await createApp({ deletionThreshold: { count: 1_000, percent: 100 } });
    target.setFaults({ delayMs: 40 });
    startEngine({ pageSize: 5 });
    await until("the first page", () => target.userCount() >= 5);
    await temp.store.write(async (s) => {
      const app = await s.outbound.getApp("t1", "app-1");
      await s.outbound.updateApp("t1", "app-1", { settings: { ...app!.settings, scopingFilter: 'userName eq "nobody@t1.example"' } }, new Date().toISOString());
    });
    await until("the initial cycle", async () => (await state()).initialDone, 30_000);
    await until("every provisioned user disabled", () => target.users().every((user) => user["active"] === false), 30_000);
    // The users after the change were never in scope, so they were not created.
    expect(target.userCount()).toBeGreaterThanOrEqual(5);
    expect(target.userCount()).toBeLessThan(30);
    expect(harness.errors).toEqual([]);
   }, 90_000);

  it("matches before it creates: adopts an existing object instead of making a duplicate", async () => {
    target.addUser({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "ann@t1.example", displayName: "Old" });
    await insertResource(temp.store, "t1", "User", { userName: "ann@t1.example", displayName: "Ann" }, "u-ann");
    await createApp();
    startEngine();
    await until("the initial cycle", async () => (await state()).initialDone);
    expect(target.users()).toHaveLength(1);
    expect(target.users()[0]!["displayName"]).toBe("Ann");
    expect(await temp.store.read((s) => s.outbound.getLink("app-1", "User", "u-ann"))).toMatchObject({ origin: "adopted", status: "synced" });
  });

  it("honours Retry-After and finishes once the target stops throttling", async () => {
    for (let i = 0; i < 5; i++) await insertResource(temp.store, "t1", "User", { userName: `u${i}@t1.example` }, `u${i}`);
    target.setFaults({ fail: { status: 429, retryAfter: 1, times: 8 } });
    await createApp();
    startEngine();
    await until("the initial cycle", async () => (await state()).initialDone, 30_000);
    expect(userNames()).toHaveLength(5);
    const throttled = target.requests().filter((request) => request.status === 429);
    expect(throttled.length).toBe(8);
  });

  it("quarantines the app when the target refuses the token, and lifts it when the token works again", async () => {
    await insertResource(temp.store, "t1", "User", { userName: "ann@t1.example" }, "u-ann");
    target.setFaults({ fail: { status: 401, detail: "bad token" } });
    await createApp();
    startEngine();
    const quarantined = await until("quarantine", async () => (await state()).quarantine);
    expect(quarantined).toMatchObject({ code: "auth" });
    expect(target.users()).toHaveLength(0);
    target.clearFaults();
    // Make the retry due now rather than in a minute.
    await harness.changeState((current) => ({ ...current, quarantine: { ...current.quarantine!, nextAttemptAt: new Date().toISOString() } }));
    await until("the user after the quarantine", () => userNames().length === 1);
    expect((await state()).quarantine).toBeUndefined();
  });

  it("stages deprovisions past the deletion threshold and sends nothing for them", async () => {
    for (let i = 0; i < 4; i++) await insertResource(temp.store, "t1", "User", { userName: `u${i}@t1.example` }, `u${i}`);
    await createApp({ deletionThreshold: { count: 2, percent: null } });
    startEngine();
    await until("the initial cycle", async () => (await state()).initialDone);
    // One transaction: one batch of the feed, as one bulk removal would arrive.
    await temp.store.write(async (s) => {
      for (let i = 0; i < 3; i++) await s.resources.delete("User", "t1", `u${i}`);
    });
    const quarantine = await until("the guard", async () => (await state()).quarantine);
    expect(quarantine).toMatchObject({ code: "tooManyDeletions" });
    expect(userNames()).toHaveLength(4);
    expect(await temp.store.read((s) => s.outbound.countStaged("app-1"))).toBe(3);

    // An admin allows them: the staged list is cleared and the guard lets deprovisions through for a while.
    await harness.changeState((current) => ({ ...current, guardAllowedUntil: new Date(Date.now() + 3_600_000).toISOString() }));
    await temp.store.write((s) => s.outbound.unstage("app-1"));
    await until("the allowed deletions", () => userNames().length === 1);
    expect((await state()).quarantine).toBeUndefined();
  });

  it("counts deprovisions over an hour, so a removal spread over many requests is stopped too", async () => {
    for (let i = 0; i < 4; i++) await insertResource(temp.store, "t1", "User", { userName: `u${i}@t1.example` }, `u${i}`);
    await createApp({ deletionThreshold: { count: 2, percent: null } });
    startEngine();
    await until("the initial cycle", async () => (await state()).initialDone);
    for (let i = 0; i < 2; i++) {
      await temp.store.write((s) => s.resources.delete("User", "t1", `u${i}`));
      await until(`deletion ${i + 1}`, () => userNames().length === 3 - i);
    }
    await temp.store.write((s) => s.resources.delete("User", "t1", "u2"));
    const quarantine = await until("the guard", async () => (await state()).quarantine);
    expect(quarantine).toMatchObject({ code: "tooManyDeletions", reason: expect.stringMatching(/^3 objects would be disabled or deleted/) });
    expect(userNames()).toEqual(["u2@t1.example", "u3@t1.example"]);
    expect(await temp.store.read((s) => s.outbound.countStaged("app-1"))).toBe(1);
  });

  it("leaves the objects of rejected deprovisions in the target and stops managing them", async () => {
    for (let i = 0; i < 4; i++) await insertResource(temp.store, "t1", "User", { userName: `u${i}@t1.example` }, `u${i}`);
    await createApp({ deletionThreshold: { count: 2, percent: null } });
    startEngine();
    await until("the initial cycle", async () => (await state()).initialDone);
    // One transaction: one batch of the feed, as one bulk removal would arrive.
    await temp.store.write(async (s) => {
      for (let i = 0; i < 3; i++) await s.resources.delete("User", "t1", `u${i}`);
    });
    await until("the guard", async () => (await state()).quarantine);
    // Reject: forget the staged objects' links, then clear the list.
    await temp.store.write(async (s) => {
      for (const staged of await s.outbound.listStaged("app-1", { count: 100 })) await s.outbound.deleteLink("app-1", staged.resourceType, staged.sourceId);
      await s.outbound.unstage("app-1");
    });
    await until("the lifted quarantine", async () => !(await state()).quarantine);
    await update("u3", { userName: "u3@t1.example", displayName: "Still managed" });
    await until("a later change", () => target.users().some((user) => user["displayName"] === "Still managed"));
    expect(userNames()).toHaveLength(4);
  });
});
