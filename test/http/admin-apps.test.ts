import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../shared/admin-api.js";
import { signInAdmin, type AdminSession } from "../support/admin-session.js";
import { testOutbound } from "../support/app-servers.js";
import { startTestServer, userBody, groupBody, type TestServer, type TestTenant } from "../support/scim-server.js";

/* The outbound apps routes: create, read, change and delete, the write-only token, settings problems and tenant isolation. */

let server: TestServer;
let admin: AdminSession;
let acme: TestTenant;
let other: TestTenant;
const token = "target-secret-token-0123456789-Xy3k";
const baseUrl = "https://scim.target.example/scim/v2";

beforeAll(async () => {
  server = await startTestServer({ outbound: testOutbound() });
  admin = await signInAdmin(server);
  acme = await server.addTenant("acme");
  other = await server.addTenant("other");
});
afterAll(() => server.close());

async function create(body: Record<string, unknown>, slug = "acme") {
  return admin.request("POST", `/tenants/${slug}/apps`, { name: "Target", baseUrl, token, ...body });
}

/** Every audit event of the server, as JSON text. */
async function auditText(): Promise<string> {
  return (await admin.request("GET", "/audit?count=200")).text;
}

describe("creating and listing apps", () => {
  it("creates an app with defaults, provisioning off, and lists it with its status", async () => {
    const created = await create({ name: "Slack" });
    expect(created.status).toBe(201);
    const app = created.body as App;
    expect(app).toMatchObject({ name: "Slack", baseUrl, provisioning: "off", tokenHint: "••••Xy3k", version: 1 });
    expect(app.settings).toMatchObject({ name: "Slack", baseUrl, scope: { kind: "assigned", groupIds: [], userIds: [] }, matching: { users: ["userName", "externalId"], groups: ["displayName"] }, provisioning: "off" });
    expect(app.status).toMatchObject({ phase: "off", quarantine: null, staged: 0, lastCycle: null, currentCycle: null, backlog: null, lagMs: null, worker: null });
    expect(app.status.totals).toEqual({ created: 0, updated: 0, adopted: 0, disabled: 0, deleted: 0, failed: 0, skipped: 0 });
    expect(app.status.links.users.synced).toBe(0);

    const list = await admin.request("GET", "/tenants/acme/apps");
    expect(list.status).toBe(200);
    expect((list.body as App[]).map((entry) => entry.id)).toContain(app.id);
    const one = await admin.request("GET", `/tenants/acme/apps/${app.id}`);
    expect(one.body).toEqual(list.body.find((entry: App) => entry.id === app.id));
  });

  it("never returns the token or its ciphertext, and never writes it to the audit log", async () => {
    const created = await create({ name: "Secretive" });
    const id = created.body.id as string;
    const answers = [created, await admin.request("GET", "/tenants/acme/apps"), await admin.request("GET", `/tenants/acme/apps/${id}`), await admin.request("PATCH", `/tenants/acme/apps/${id}`, { name: "Secretive 2" })];
    const stored = await server.store.read((s) => s.outbound.getApp(acme.record.id, id));
    for (const answer of answers) {
      expect(answer.text).not.toContain(token);
      expect(answer.text).not.toContain(token.slice(0, 20));
      expect(answer.text).not.toContain(stored!.tokenCiphertext);
    }
    expect(stored!.tokenCiphertext).not.toContain(token);
    const audit = await auditText();
    expect(audit).toContain('"app.created"');
    expect(audit).not.toContain(token);
  });

  it("shows nothing of a short token", async () => {
    const created = await admin.request("POST", "/tenants/acme/apps", { name: "Short", baseUrl, token: "abc123" });
    expect(created.body.tokenHint).toBe("••••");
  });

  it("refuses bad settings with every problem and its path, and saves nothing", async () => {
    const before = (await admin.request("GET", "/tenants/acme/apps")).body.length;
    const refused = await create({
      name: "",
      baseUrl: "https://scim.example/v2?x=1",
      userMappings: [{ target: "userName", source: "userName" }, { target: "displayName", expression: "lower(" }],
      matching: { users: ["nickName"] },
      frequency: 5,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalid");
    const paths = (refused.body.error.problems as { path: string }[]).map((problem) => problem.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "baseUrl", "userMappings[1].expression", "frequency"]));
    expect(refused.body.error.field).toBe(paths[0]);
    expect(refused.body.error.message).toMatch(/^The app's settings are not valid:\n/);
    expect((await admin.request("GET", "/tenants/acme/apps")).body.length).toBe(before);
  });

  it("refuses a missing token or one with spaces, naming the field and never echoing it", async () => {
    const missing = await admin.request("POST", "/tenants/acme/apps", { name: "T", baseUrl });
    expect(missing.body.error).toMatchObject({ code: "invalid", field: "token" });
    const spaced = await create({ token: "two words secret" });
    expect(spaced.body.error).toMatchObject({ code: "invalid", field: "token" });
    expect(spaced.text).not.toContain("two words secret");
  });

  it("refuses assigned groups and users that are not the tenant's", async () => {
    const group = (await acme.request("POST", "/Groups", { body: groupBody("Sales") })).body.id as string;
    const theirs = (await other.request("POST", "/Users", { body: userBody("ann@other.example") })).body.id as string;
    const refused = await create({ scope: { kind: "assigned", groupIds: [group, "no-such-group"], userIds: [theirs] } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.problems).toEqual([
      { path: "scope.groupIds[1]", message: 'there is no group with id "no-such-group" in this tenant' },
      { path: "scope.userIds[0]", message: `there is no user with id "${theirs}" in this tenant` },
    ]);
    const accepted = await create({ scope: { kind: "assigned", groupIds: [group], userIds: [] } });
    expect(accepted.status).toBe(201);
  });

  it("answers 404 for an unknown tenant", async () => {
    expect((await create({}, "nobody")).status).toBe(404);
    expect((await admin.request("GET", "/tenants/nobody/apps")).status).toBe(404);
  });
});

describe("one tenant's apps are invisible to another", () => {
  it("answers 404 for another tenant's app on every route, and lists none of them", async () => {
    const id = (await create({ name: "Acme only" })).body.id as string;
    expect((await admin.request("GET", "/tenants/other/apps")).body).toEqual([]);
    const routes: [string, string, unknown?][] = [
      ["GET", ""],
      ["PATCH", "", { name: "Stolen" }],
      ["POST", "/test", {}],
      ["POST", "/pause", {}],
      ["POST", "/resume", {}],
      ["POST", "/restart", {}],
      ["POST", "/provision", { type: "User", id: "x" }],
      ["GET", "/logs"],
      ["GET", "/logs/export?format=json"],
      ["GET", "/staged"],
      ["POST", "/staged/allow", {}],
      ["POST", "/staged/reject", {}],
      ["DELETE", ""],
    ];
    for (const [method, suffix, body] of routes) {
      const answer = await admin.request(method, `/tenants/other/apps/${id}${suffix}`, body);
      expect({ route: `${method} ${suffix}`, status: answer.status, code: answer.body?.error?.code }).toEqual({ route: `${method} ${suffix}`, status: 404, code: "not_found" });
    }
    expect((await admin.request("GET", `/tenants/acme/apps/${id}`)).body.name).toBe("Acme only");
  });
});

describe("changing and deleting apps", () => {
  it("changes only the settings given, bumps the version and audits the change", async () => {
    const app = (await create({ name: "Before", scope: { kind: "all" } })).body as App;
    const changed = await admin.request("PATCH", `/tenants/acme/apps/${app.id}`, { name: "After", onDelete: "disable", deletionThreshold: { count: null }, version: app.version });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: "After", version: 2, settings: { name: "After", onDelete: "disable", scope: { kind: "all" }, deletionThreshold: { count: null, percent: 20 } } });
    const unchanged = await admin.request("PATCH", `/tenants/acme/apps/${app.id}`, { name: "After" });
    expect(unchanged.body.version).toBe(2);
    const events = (await admin.request("GET", "/audit?action=app.updated")).body.items as { target: { id: string }; details: Record<string, unknown> }[];
    expect(events.find((event) => event.target.id === app.id)?.details).toEqual({ changed: ["name", "onDelete", "deletionThreshold"], name: { old: "Before", new: "After" } });
  });

  it("refuses a change based on an old version with 409", async () => {
    const app = (await create({ name: "Versioned" })).body as App;
    await admin.request("PATCH", `/tenants/acme/apps/${app.id}`, { name: "First" });
    const stale = await admin.request("PATCH", `/tenants/acme/apps/${app.id}`, { name: "Second", version: app.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "conflict", field: "version" });
    expect((await admin.request("GET", `/tenants/acme/apps/${app.id}`)).body.name).toBe("First");
  });

  it("requires the token again to move the app to another host, and replaces the token write-only", async () => {
    const app = (await create({ name: "Mover" })).body as App;
    const samehost = await admin.request("PATCH", `/tenants/acme/apps/${app.id}`, { baseUrl: "https://scim.target.example/other/v2" });
    expect(samehost.status).toBe(200);
    const moved = await admin.request("PATCH", `/tenants/acme/apps/${app.id}`, { baseUrl: "https://elsewhere.example/scim" });
    expect(moved.status).toBe(400);
    expect(moved.body.error.field).toBe("token");
    const newToken = "brand-new-target-token-ABCD";
    const replaced = await admin.request("PATCH", `/tenants/acme/apps/${app.id}`, { baseUrl: "https://elsewhere.example/scim", token: newToken });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ baseUrl: "https://elsewhere.example/scim", tokenHint: "••••ABCD" });
    expect(replaced.text).not.toContain(newToken);
    const audit = await auditText();
    expect(audit).toContain('"app.token_replaced"');
    expect(audit).not.toContain(newToken);
  });

  it("refuses bad settings in a change with their paths, and changes nothing", async () => {
    const app = (await create({ name: "Strict" })).body as App;
    const refused = await admin.request("PATCH", `/tenants/acme/apps/${app.id}`, { maxConcurrency: 0, matching: { groups: [] } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.problems.map((problem: { path: string }) => problem.path).sort()).toEqual(["matching.groups", "maxConcurrency"]);
    expect((await admin.request("GET", `/tenants/acme/apps/${app.id}`)).body.version).toBe(1);
  });

  it("pauses, resumes and restarts, each audited", async () => {
    const app = (await create({ name: "Switch" })).body as App;
    const resumed = await admin.request("POST", `/tenants/acme/apps/${app.id}/resume`, {});
    expect(resumed.body).toMatchObject({ provisioning: "on", status: { phase: "initialCycle" } });
    const paused = await admin.request("POST", `/tenants/acme/apps/${app.id}/pause`, {});
    expect(paused.body).toMatchObject({ provisioning: "off", status: { phase: "off" } });
    const restarted = await admin.request("POST", `/tenants/acme/apps/${app.id}/restart`, {});
    expect(restarted.status).toBe(200);
    const actions = ((await admin.request("GET", "/audit?action=app.*&count=200")).body.items as { action: string; target: { id: string } }[]).filter((event) => event.target.id === app.id).map((event) => event.action);
    expect(actions.slice(0, 3)).toEqual(["app.restarted", "app.provisioning_off", "app.provisioning_on"]);
  });

  it("deletes an app with everything it keeps, and answers 404 afterwards", async () => {
    const app = (await create({ name: "Doomed" })).body as App;
    await server.store.write((s) => s.changes.saveCheckpoint(acme.record.id, `app:${app.id}`, { txid: "0", seq: "1" }, new Date().toISOString()));
    expect((await admin.request("DELETE", `/tenants/acme/apps/${app.id}`)).status).toBe(204);
    expect((await admin.request("GET", `/tenants/acme/apps/${app.id}`)).status).toBe(404);
    expect((await admin.request("DELETE", `/tenants/acme/apps/${app.id}`)).status).toBe(404);
    expect(await server.store.read((s) => s.changes.checkpoint(acme.record.id, `app:${app.id}`))).toBeUndefined();
  });
});
