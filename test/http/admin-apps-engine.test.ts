import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App, AppLogEntry } from "../../shared/admin-api.js";
import { signInAdmin, type AdminSession } from "../support/admin-session.js";
import { testOutbound } from "../support/app-servers.js";
import { groupBody, startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

/* A server running its outbound engine provisions one tenant into another tenant's SCIM API over HTTP; the admin API shows statistics, backlog and logs. */

let server: TestServer;
let admin: AdminSession;
let source: TestTenant;
let target: TestTenant;

beforeAll(async () => {
  server = await startTestServer({ outbound: testOutbound({ engine: true }) });
  admin = await signInAdmin(server);
  source = await server.addTenant("source");
  target = await server.addTenant("target");
});
afterAll(() => server.close());

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const targetUserNames = async () => ((await target.request("GET", "/Users?count=100")).body.Resources as { userName: string }[]).map((user) => user.userName).sort();
const appOf = async (id: string) => (await admin.request("GET", `/tenants/source/apps/${id}`)).body as App;

describe("an app with provisioning on", () => {
  it("pushes the tenant, follows changes, pauses with a backlog and catches up when resumed", async () => {
    for (const name of ["ann", "bob", "cy"]) await source.request("POST", "/Users", { body: userBody(`${name}@source.example`) });
    const ann = ((await source.request("GET", '/Users?filter=userName eq "ann@source.example"')).body.Resources as { id: string }[])[0]!.id;
    await source.request("POST", "/Groups", { body: groupBody("Staff", { members: [{ value: ann }] }) });
    const created = await admin.request("POST", "/tenants/source/apps", { name: "Target tenant", baseUrl: target.baseUrl, token: target.token, scope: { kind: "all" }, provisioning: "on", testConnection: true });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    await until("the initial cycle", async () => (await appOf(id)).status.lastCycle?.outcome === "completed");
    expect(await targetUserNames()).toEqual(["ann@source.example", "bob@source.example", "cy@source.example"]);
    const staffId = ((await target.request("GET", '/Groups?filter=displayName eq "Staff"')).body.Resources as { id: string }[])[0]!.id;
    expect((await target.request("GET", `/Groups/${staffId}`)).body.members).toHaveLength(1);
    const app = await appOf(id);
    expect(app.status).toMatchObject({ phase: "incremental", quarantine: null, lastCycle: { kind: "initial", counts: { created: 4, failed: 0 } }, totals: { created: 4 }, backlog: { count: 0, cap: 10_000 }, lagMs: 0 });
    expect(app.status.links.users.synced).toBe(3);
    expect(app.status.links.groups.synced).toBe(1);
    expect(app.status.worker?.node).toBe(server.server.outbound?.nodeId);

    await source.request("POST", "/Users", { body: userBody("dee@source.example") });
    await until("the incremental create", async () => (await targetUserNames()).includes("dee@source.example"));
    const log = (await admin.request("GET", `/tenants/source/apps/${id}/logs?action=create&count=10`)).body.items as AppLogEntry[];
    expect(log[0]).toMatchObject({ action: "create", status: "success", cycle: "incremental" });

    await admin.request("POST", `/tenants/source/apps/${id}/pause`, {});
    await until("the runner to stop", async () => (await appOf(id)).status.worker === null, 20_000);
    await source.request("POST", "/Users", { body: userBody("eve@source.example") });
    const paused = await appOf(id);
    expect(paused.status.phase).toBe("off");
    expect(paused.status.backlog).toEqual({ count: 1, cap: 10_000 });
    expect(paused.status.lagMs).toBeGreaterThanOrEqual(0);
    expect(await targetUserNames()).not.toContain("eve@source.example");

    await admin.request("POST", `/tenants/source/apps/${id}/resume`, {});
    await until("the backlog", async () => (await targetUserNames()).includes("eve@source.example"));
    await until("an empty backlog", async () => (await appOf(id)).status.backlog?.count === 0);
  });
});

describe("the deletion guard through the admin API", () => {
  /** A source with four users pushed into a fresh target by an app that lets at most two deprovisions through. */
  async function guardedApp(name: string): Promise<{ from: TestTenant; to: TestTenant; id: string; userIds: string[] }> {
    const from = await server.addTenant(`${name}-from`);
    const to = await server.addTenant(`${name}-to`);
    const userIds: string[] = [];
    for (let i = 0; i < 4; i++) userIds.push((await from.request("POST", "/Users", { body: userBody(`u${i}@${name}.example`) })).body.id as string);
    const created = await admin.request("POST", `/tenants/${name}-from/apps`, { name, baseUrl: to.baseUrl, token: to.token, scope: { kind: "all" }, deletionThreshold: { count: 2, percent: null }, provisioning: "on" });
    const id = created.body.id as string;
    await until("the initial cycle", async () => ((await admin.request("GET", `/tenants/${name}-from/apps/${id}`)).body as App).status.lastCycle?.outcome === "completed");
    // Paused while deleting, so that the three deletions reach the engine as one batch.
    await admin.request("POST", `/tenants/${name}-from/apps/${id}/pause`, {});
    await until("the runner to stop", async () => ((await admin.request("GET", `/tenants/${name}-from/apps/${id}`)).body as App).status.worker === null);
    for (const userId of userIds.slice(0, 3)) await from.request("DELETE", `/Users/${userId}`);
    await admin.request("POST", `/tenants/${name}-from/apps/${id}/resume`, {});
    const staged = await until("the guard", async () => {
      const app = (await admin.request("GET", `/tenants/${name}-from/apps/${id}`)).body as App;
      return app.status.quarantine?.code === "tooManyDeletions" && app;
    });
    expect(staged.status.staged).toBe(3);
    expect((await to.request("GET", "/Users")).body.totalResults).toBe(4);
    return { from, to, id, userIds };
  }

  it("sends the staged deletions once an admin allows them", async () => {
    const { to, id } = await guardedApp("allowed");
    expect((await admin.request("POST", `/tenants/allowed-from/apps/${id}/staged/allow`, {})).body).toEqual({ decided: 3 });
    await until("the deletions", async () => (await to.request("GET", "/Users")).body.totalResults === 1);
    const app = (await admin.request("GET", `/tenants/allowed-from/apps/${id}`)).body as App;
    expect(app.status).toMatchObject({ quarantine: null, staged: 0, phase: "incremental" });
    const deleted = (await admin.request("GET", `/tenants/allowed-from/apps/${id}/logs?action=delete`)).body.items as AppLogEntry[];
    expect(deleted.map((entry) => entry.status)).toEqual(["success", "success", "success"]);
  });

  it("sends nothing for rejected deletions and stops managing those users", async () => {
    const { from, to, id, userIds } = await guardedApp("rejected");
    expect((await admin.request("POST", `/tenants/rejected-from/apps/${id}/staged/reject`, {})).body).toEqual({ decided: 3 });
    await until("the lifted quarantine", async () => ((await admin.request("GET", `/tenants/rejected-from/apps/${id}`)).body as App).status.phase === "incremental");
    // A later change still flows, and the rejected users stay in the target untouched.
    await from.request("POST", "/Users", { body: userBody("later@rejected.example") });
    await until("the later user", async () => (await to.request("GET", "/Users")).body.totalResults === 5);
    const app = (await admin.request("GET", `/tenants/rejected-from/apps/${id}`)).body as App;
    expect(app.status.links.users.synced).toBe(2);
    expect(await server.store.read((s) => s.outbound.getLink(id, "User", userIds[0]!))).toBeUndefined();
  });
});
