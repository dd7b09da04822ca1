import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { App, AppLogEntry, ConnectionReport, ProvisionResult } from "../../shared/admin-api.js";
import { insertResource } from "../../src/store/testing/temp-store.js";
import { signInAdmin, type AdminSession } from "../support/admin-session.js";
import { testOutbound } from "../support/app-servers.js";
import { startFaultTarget, type FaultTarget } from "../support/fault-target.js";
import { groupBody, startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

/* Test Connection, provision on demand, dry runs, provisioning logs and their export, and staged actions, against the fault target and a real Muster tenant. */

let server: TestServer;
let admin: AdminSession;
let acme: TestTenant;
let target: FaultTarget;

beforeAll(async () => {
  server = await startTestServer({ outbound: testOutbound() });
  admin = await signInAdmin(server);
  acme = await server.addTenant("acme");
  target = await startFaultTarget();
});
afterAll(async () => {
  await target.close();
  await server.close();
});
afterEach(() => {
  target.clearFaults();
  target.clearRequests();
});

async function createApp(body: Record<string, unknown> = {}): Promise<App> {
  const created = await admin.request("POST", "/tenants/acme/apps", { name: "Fault target", baseUrl: target.baseUrl, token: target.token, scope: { kind: "all" }, ...body });
  if (created.status !== 201) throw new Error(`create failed: ${created.text}`);
  return created.body as App;
}

describe("Test Connection", () => {
  it("passes against the fault target, with GET requests only", async () => {
    const app = await createApp();
    const tested = await admin.request("POST", `/tenants/acme/apps/${app.id}/test`, {});
    expect(tested.status).toBe(200);
    const report = tested.body as ConnectionReport;
    expect(report.ok).toBe(true);
    expect(report.probes.map((probe) => probe.id)).toEqual(["reachable", "serviceProviderConfig", "authenticated", "userFilter:userName", "userFilter:externalId", "patch", "groupFilter:displayName", "unknownUser"]);
    expect(report.probes.every((probe) => probe.detail === null || typeof probe.detail === "string")).toBe(true);
    expect(new Set(target.requests().map((request) => request.method))).toEqual(new Set(["GET"]));
  });

  it("fails with the token probe in words when the target refuses the token, and audits the outcome", async () => {
    const app = await createApp({ token: "not-the-right-token-1234" });
    const report = (await admin.request("POST", `/tenants/acme/apps/${app.id}/test`, {})).body as ConnectionReport;
    expect(report.ok).toBe(false);
    expect(report.probes.find((probe) => probe.id === "authenticated")).toMatchObject({ ok: false, summary: expect.stringMatching(/^The Secret Token was refused: the target answered 401/) });
    const events = (await admin.request("GET", "/audit?action=app.tested")).body.items as { target: { id: string }; details: Record<string, unknown> }[];
    expect(events.find((event) => event.target.id === app.id)?.details).toMatchObject({ passed: false, failed: expect.arrayContaining(["authenticated"]) });
  });

  it("tests a Tenant URL and token before anything is saved", async () => {
    const before = (await admin.request("GET", "/tenants/acme/apps")).body.length;
    const passed = await admin.request("POST", "/tenants/acme/apps/test", { baseUrl: target.baseUrl, token: target.token });
    expect(passed.body.ok).toBe(true);
    const unreachable = await admin.request("POST", "/tenants/acme/apps/test", { baseUrl: "http://127.0.0.1:9/scim/v2", token: target.token });
    expect(unreachable.body.ok).toBe(false);
    expect(unreachable.body.probes[0]).toMatchObject({ id: "reachable", ok: false });
    const malformed = await admin.request("POST", "/tenants/acme/apps/test", { baseUrl: "ftp://x", token: target.token });
    expect(malformed.body.error).toMatchObject({ code: "invalid", field: "baseUrl" });
    expect((await admin.request("GET", "/tenants/acme/apps")).body.length).toBe(before);
  });

  it("passes against a real Muster tenant's SCIM API", async () => {
    const muster = await server.addTenant("muster-target");
    const report = (await admin.request("POST", "/tenants/acme/apps/test", { baseUrl: muster.baseUrl, token: muster.token })).body as ConnectionReport;
    expect(report.probes.filter((probe) => !probe.ok || probe.warning)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("refuses to save an app whose Test Connection fails when asked to test first", async () => {
    const before = (await admin.request("GET", "/tenants/acme/apps")).body.length;
    const refused = await admin.request("POST", "/tenants/acme/apps", { name: "Wrong token", baseUrl: target.baseUrl, token: "wrong-token-for-target", testConnection: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/^Test Connection failed, so the app was not saved: The Secret Token was refused/);
    expect((await admin.request("GET", "/tenants/acme/apps")).body.length).toBe(before);
    const saved = await admin.request("POST", "/tenants/acme/apps", { name: "Right token", baseUrl: target.baseUrl, token: target.token, testConnection: true });
    expect(saved.status).toBe(201);
  });
});

describe("provision on demand", () => {
  it("creates a user in the target synchronously and returns each step, its requests and the log entry", async () => {
    const app = await createApp();
    const user = (await acme.request("POST", "/Users", { body: userBody("ondemand@acme.example", { name: { givenName: "On", familyName: "Demand" } }) })).body.id as string;
    const answer = await admin.request("POST", `/tenants/acme/apps/${app.id}/provision`, { type: "User", id: user });
    expect(answer.status).toBe(200);
    const result = answer.body as ProvisionResult;
    expect(result).toMatchObject({ type: "User", id: user, dryRun: false, plan: "write", outcome: "success", wouldSend: null });
    expect(result.steps.map((step) => step.step)).toEqual(["scope", "match", "action", "members"]);
    expect(result.exchanges.map((exchange) => `${exchange.method} ${exchange.path.split("?")[0]} ${exchange.status}`)).toEqual(["GET /Users 200", "POST /Users 201"]);
    expect(result.exchanges[1]!.requestBody).toMatchObject({ userName: "ondemand@acme.example" });
    expect(answer.text).not.toContain(target.token);
    expect(result.log).toMatchObject({ action: "create", status: "success", sourceId: user, cycle: expect.stringMatching(/^on-demand-/) });
    expect(target.users().map((entry) => entry["userName"])).toContain("ondemand@acme.example");

    const again = (await admin.request("POST", `/tenants/acme/apps/${app.id}/provision`, { type: "User", id: user })).body as ProvisionResult;
    expect(again).toMatchObject({ outcome: "skipped", exchanges: [] });
  });

  it("shows in a dry run what would be sent, and sends nothing", async () => {
    const app = await createApp();
    const user = (await acme.request("POST", "/Users", { body: userBody("dry@acme.example", { displayName: "Dry" }) })).body.id as string;
    target.clearRequests();
    const result = (await admin.request("POST", `/tenants/acme/apps/${app.id}/provision`, { type: "User", id: user, dryRun: true })).body as ProvisionResult;
    expect(result).toMatchObject({ dryRun: true, plan: "write", outcome: "planned", exchanges: [], log: null });
    expect(result.wouldSend).toMatchObject({ method: "POST", path: "/Users", body: { userName: "dry@acme.example", displayName: "Dry" } });
    expect(target.requests()).toEqual([]);

    await admin.request("POST", `/tenants/acme/apps/${app.id}/provision`, { type: "User", id: user });
    await acme.request("PATCH", `/Users/${user}`, { body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: "Wet" }] } });
    target.clearRequests();
    const update = (await admin.request("POST", `/tenants/acme/apps/${app.id}/provision`, { type: "User", id: user, dryRun: true })).body as ProvisionResult;
    expect(update.wouldSend).toMatchObject({ method: "PATCH", path: expect.stringMatching(/^\/Users\//), body: { Operations: [{ op: "replace", path: "displayName", value: "Wet" }] } });
    expect(target.requests()).toEqual([]);
  });

  it("provisions a group with its provisioned members", async () => {
    const app = await createApp();
    const member = (await acme.request("POST", "/Users", { body: userBody("member@acme.example") })).body.id as string;
    const group = (await acme.request("POST", "/Groups", { body: groupBody("On demand", { members: [{ value: member }] }) })).body.id as string;
    await admin.request("POST", `/tenants/acme/apps/${app.id}/provision`, { type: "User", id: member });
    const result = (await admin.request("POST", `/tenants/acme/apps/${app.id}/provision`, { type: "Group", id: group })).body as ProvisionResult;
    expect(result.outcome).toBe("success");
    expect(result.steps.at(-1)).toEqual({ step: "members", summary: "Memberships synced: 1 added, 0 removed." });
    const inTarget = target.groups().find((entry) => entry["displayName"] === "On demand")!;
    expect((inTarget["members"] as { value: string }[]).length).toBe(1);
  });

  it("reports a failure with the target's error and a fix, and answers 404 for an unknown object", async () => {
    const app = await createApp();
    const user = (await acme.request("POST", "/Users", { body: userBody("refused@acme.example") })).body.id as string;
    target.setFaults({ fail: { status: 400, scimType: "invalidValue", detail: "userName is not allowed here", only: (request) => request.method === "POST" } });
    const result = (await admin.request("POST", `/tenants/acme/apps/${app.id}/provision`, { type: "User", id: user })).body as ProvisionResult;
    expect(result.outcome).toBe("failure");
    expect(result.log).toMatchObject({ status: "failure", error: expect.stringContaining("userName is not allowed here"), fix: expect.any(String) });
    const unknown = await admin.request("POST", `/tenants/acme/apps/${app.id}/provision`, { type: "User", id: "no-such-user" });
    expect(unknown.status).toBe(404);
    const badType = await admin.request("POST", `/tenants/acme/apps/${app.id}/provision`, { type: "Device", id: user });
    expect(badType.body.error).toMatchObject({ code: "invalid", field: "type" });
  });
});

describe("provisioning logs", () => {
  it("filters, pages newest first with a cursor, and exports CSV with formulas defused and JSON", async () => {
    const app = await createApp();
    const ids: string[] = [];
    for (const name of ["a", "b", "c"]) ids.push((await acme.request("POST", "/Users", { body: userBody(`log-${name}@acme.example`) })).body.id as string);
    const formula = await insertResource(server.store, acme.record.id, "User", { userName: "formula@acme.example" }, "=HYPERLINK(1)");
    for (const id of [...ids, formula.id]) await admin.request("POST", `/tenants/acme/apps/${app.id}/provision`, { type: "User", id });

    const first = await admin.request("GET", `/tenants/acme/apps/${app.id}/logs?count=2&action=create`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((entry: AppLogEntry) => entry.sourceId)).toEqual([formula.id, ids[2]]);
    const second = await admin.request("GET", `/tenants/acme/apps/${app.id}/logs?count=2&action=create&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items.map((entry: AppLogEntry) => entry.sourceId)).toEqual([ids[1], ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    const bySource = await admin.request("GET", `/tenants/acme/apps/${app.id}/logs?sourceId=${ids[0]}`);
    expect(bySource.body.items.map((entry: AppLogEntry) => entry.action)).toEqual(["create"]);
    expect((await admin.request("GET", `/tenants/acme/apps/${app.id}/logs?status=failure`)).body.items).toEqual([]);
    expect((await admin.request("GET", `/tenants/acme/apps/${app.id}/logs?status=bogus`)).body.error).toMatchObject({ code: "invalid", field: "status" });
    const foreignCursor = await admin.request("GET", `/tenants/acme/apps/${app.id}/logs?count=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(foreignCursor.body.error).toMatchObject({ code: "invalid", field: "cursor" });

    const csv = await admin.request("GET", `/tenants/acme/apps/${app.id}/logs/export?format=csv&action=create`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="muster-app-log-\d{8}T\d{6}Z\.csv"$/);
    const lines = csv.text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at,cycle,resourceType,sourceId,display,targetId,action,status,error,fix,details");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(",'=HYPERLINK(1),");
    const json = await admin.request("GET", `/tenants/acme/apps/${app.id}/logs/export?format=json&action=create`);
    expect((json.body as AppLogEntry[]).map((entry) => entry.sourceId)).toEqual([formula.id, ids[2], ids[1], ids[0]]);
    expect((await admin.request("GET", `/tenants/acme/apps/${app.id}/logs/export?format=xml`)).body.error).toMatchObject({ code: "invalid", field: "format" });
  });
});

describe("staged actions", () => {
  /** Links a user as provisioned and stages its deprovision, as the deletion guard does. */
  async function stageUser(appId: string, sourceId: string): Promise<void> {
    const now = new Date().toISOString();
    await server.store.write(async (s) => {
      await s.outbound.putLink({ tenantId: acme.record.id, appId, resourceType: "User", sourceId, targetId: `t-${sourceId}`, origin: "created", status: "synced", written: { userName: sourceId }, writtenHash: "h", lastError: null, attempts: 0, nextRetryAt: null, updated: now });
      await s.outbound.stage([{ tenantId: acme.record.id, appId, id: `s-${sourceId}`, resourceType: "User", sourceId, action: "delete", reason: "deleted in Muster", created: now }]);
      const app = await s.outbound.getApp(acme.record.id, appId);
      await s.outbound.saveAppState(acme.record.id, appId, { ...app!.state, initialDone: true, quarantine: { code: "tooManyDeletions", reason: "too many", fix: "decide", since: now, attempts: 1 } });
    });
  }

  it("lists them, and Allow unstages them, makes their objects due and lets deprovisions pass for an hour", async () => {
    const app = await createApp();
    await stageUser(app.id, "u1");
    await stageUser(app.id, "u2");
    const listed = await admin.request("GET", `/tenants/acme/apps/${app.id}/staged?count=1`);
    expect(listed.body).toMatchObject({ total: 2, items: [{ id: "s-u1", resourceType: "User", sourceId: "u1", action: "delete", reason: "deleted in Muster" }] });
    expect((await admin.request("GET", `/tenants/acme/apps/${app.id}/staged?cursor=${encodeURIComponent(listed.body.nextCursor)}`)).body.items.map((entry: { id: string }) => entry.id)).toEqual(["s-u2"]);
    expect((await admin.request("GET", `/tenants/acme/apps/${app.id}`)).body.status).toMatchObject({ staged: 2, quarantine: { code: "tooManyDeletions" } });

    const allowed = await admin.request("POST", `/tenants/acme/apps/${app.id}/staged/allow`, {});
    expect(allowed.body).toEqual({ decided: 2 });
    const after = (await admin.request("GET", `/tenants/acme/apps/${app.id}`)).body as App;
    expect(after.status).toMatchObject({ staged: 0, quarantine: null });
    const stored = await server.store.read((s) => s.outbound.getApp(acme.record.id, app.id));
    expect(Date.parse((stored!.state as { guardAllowedUntil: string }).guardAllowedUntil) - Date.now()).toBeGreaterThan(59 * 60_000);
    const due = await server.store.read((s) => s.outbound.dueLinks(app.id, new Date(Date.now() + 1000).toISOString(), 10));
    expect(due.map((link) => link.sourceId).sort()).toEqual(["u1", "u2"]);
    expect((await admin.request("POST", `/tenants/acme/apps/${app.id}/staged/allow`, {})).body.error.code).toBe("conflict");
  });

  it("Reject forgets the links of the staged objects and sends nothing", async () => {
    const app = await createApp();
    await stageUser(app.id, "u3");
    const rejected = await admin.request("POST", `/tenants/acme/apps/${app.id}/staged/reject`, {});
    expect(rejected.body).toEqual({ decided: 1 });
    expect(await server.store.read((s) => s.outbound.getLink(app.id, "User", "u3"))).toBeUndefined();
    expect((await admin.request("GET", `/tenants/acme/apps/${app.id}`)).body.status).toMatchObject({ staged: 0, quarantine: null });
    expect(target.requests()).toEqual([]);
    const events = (await admin.request("GET", "/audit?action=app.staged_rejected")).body.items as { target: { id: string }; details: Record<string, unknown> }[];
    expect(events.find((event) => event.target.id === app.id)?.details).toEqual({ count: 1 });
  });
});
