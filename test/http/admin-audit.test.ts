import { randomBytes } from "node:crypto";
import Fastify, { type RouteOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSetupLink } from "../../src/admin/setup-links.js";
import { cliActor } from "../../src/cli/cli-actor.js";
import { adminApiPlugin } from "../../src/http/admin-api/admin-api-plugin.js";
import { CursorCodec } from "../../src/scim/cursor.js";
import { registry } from "../../src/scim/schema/registry.js";
import { sessionCookieOf } from "../support/admin-session.js";
import { startTestServer, type ScimResponse, type TestServer } from "../support/scim-server.js";

/*
 * Every administrative action of the admin API, performed over HTTP against a real server, then read
 * back through GET /api/audit: actor, address (X-Forwarded-For through a trusted proxy), user agent,
 * action, target, tenant, outcome, reason and details, for successes and for failures.
 */

let server: TestServer;
const password = "first correct horse battery";
const userAgent = "AuditTest/1.0 (vitest)";
let addresses = 0;
/** A new client address per call, so that sign-in throttling of one test never reaches another. */
const nextAddress = () => `198.51.100.${++addresses}`;

/** A signed-in admin whose requests come from one address and user agent. */
interface Admin {
  readonly email: string;
  readonly id: string;
  readonly address: string;
  readonly cookie: string;
  readonly csrfToken: string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ScimResponse>;
}

function post(path: string, body: unknown, headers: Record<string, string>): Promise<ScimResponse> {
  return server.fetch("POST", `${server.url}/api${path}`, { body, headers: { "content-type": "application/json", "user-agent": userAgent, ...headers } });
}

function signInRequest(email: string, secret: string, address: string): Promise<ScimResponse> {
  return post("/session", { email, password: secret }, { "x-forwarded-for": address });
}

let admins = 0;
async function newAdmin(): Promise<Admin> {
  const email = `auditor${++admins}@example.com`;
  const { secret } = await createSetupLink(server.store, cliActor(), email);
  const address = nextAddress();
  const done = await post(`/setup/${secret}`, { password }, { "x-forwarded-for": address });
  expect(done.status).toBe(200);
  const cookie = sessionCookieOf(done.headers)!;
  const csrfToken: string = done.body.csrfToken;
  return {
    email,
    id: done.body.admin.id,
    address,
    cookie,
    csrfToken,
    request(method, path, body, headers = {}) {
      const all: Record<string, string> = { cookie, "content-type": "application/json", "user-agent": userAgent, "x-forwarded-for": address, ...headers };
      if (method !== "GET" && !("x-csrf-token" in headers)) all["x-csrf-token"] = csrfToken;
      return server.fetch(method, `${server.url}/api${path}`, { headers: all, ...(body === undefined ? {} : { body }) });
    },
  };
}

let reader: Admin;
beforeAll(async () => {
  server = await startTestServer({ trustProxy: ["127.0.0.1"] });
  reader = await newAdmin();
});
afterAll(() => server.close());

/** The audit events matching a query, newest first (every page). */
async function audit(query: Record<string, string> = {}): Promise<any[]> {
  const events: any[] = [];
  let cursor = "";
  for (;;) {
    const response = await reader.request("GET", `/audit?${new URLSearchParams({ ...query, count: "200", ...(cursor ? { cursor } : {}) })}`);
    expect(response.status).toBe(200);
    events.push(...response.body.items);
    if (!response.body.nextCursor) return events;
    cursor = response.body.nextCursor;
  }
}

/** The newest event of an action by an actor (or anonymous) since a time. */
async function latest(action: string, since: string, extra: Record<string, string> = {}): Promise<any> {
  const [event] = await audit({ action, since, ...extra });
  expect(event, `${action} since ${since}`).toBeDefined();
  return event;
}

const now = () => new Date().toISOString();
const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const actorOf = (admin: Admin) => ({ kind: "admin", id: admin.id, label: admin.email });

describe("sessions", () => {
  it("records a sign-in by the admin, from the forwarded address and user agent, and a sign-out", async () => {
    const admin = await newAdmin();
    const since = now();
    const address = nextAddress();
    const response = await signInRequest(admin.email, password, address);
    expect(response.status).toBe(200);
    expect(await latest("session.sign_in", since)).toEqual({
      id: expect.any(String),
      occurredAt: iso,
      actor: actorOf(admin),
      address,
      userAgent,
      action: "session.sign_in",
      target: { kind: "admin", id: admin.id, label: admin.email },
      tenant: null,
      outcome: "success",
      reason: null,
      details: { method: "password" },
    });
    expect((await admin.request("DELETE", "/session")).status).toBe(204);
    expect(await latest("session.sign_out", since)).toMatchObject({ actor: actorOf(admin), address: admin.address, target: { kind: "admin", id: admin.id }, outcome: "success" });
  });

  it("records failed sign-ins with the real reason while the client gets the same answer either way", async () => {
    const admin = await newAdmin();
    const since = now();
    const address = nextAddress();
    const wrong = await signInRequest(admin.email, "not the password at all", address);
    const unknown = await signInRequest("nobody-here@example.com", password, address);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    const failures = await audit({ action: "session.sign_in", outcome: "failure", since });
    expect(failures).toEqual([
      expect.objectContaining({ actor: { kind: "anonymous", id: null, label: null }, address, userAgent, target: null, outcome: "failure", reason: "unknown account" }),
      expect.objectContaining({ actor: { kind: "anonymous", id: null, label: null }, address, target: { kind: "admin", id: admin.id, label: admin.email }, outcome: "failure", reason: "wrong password" }),
    ]);
    // The email typed for an unknown account is not kept: it may be a password typed into the wrong field.
    expect(JSON.stringify(failures)).not.toContain("nobody-here");
  });

  it("records a throttled sign-in, even one with the right password", async () => {
    const admin = await newAdmin();
    const address = nextAddress();
    for (let i = 0; i < 5; i++) expect((await signInRequest(admin.email, `wrong guess number ${i}`, address)).status).toBe(401);
    const since = now();
    const throttled = await signInRequest(admin.email, password, address);
    expect(throttled.status).toBe(429);
    expect(await latest("session.sign_in", since)).toMatchObject({ actor: { kind: "anonymous" }, address, target: { kind: "admin", id: admin.id }, outcome: "failure", reason: expect.stringMatching(/^throttled: Too many failed sign-ins/) });
  });

  it("records a malformed sign-in and one from another site's page as failures, without the body", async () => {
    const since = now();
    const address = nextAddress();
    const malformed = await server.fetch("POST", `${server.url}/api/session`, { rawBody: '{"email": "x@example.com", "password": hunter2hunter2}', headers: { "content-type": "application/json", "x-forwarded-for": address } });
    expect(malformed.status).toBe(400);
    const crossSite = await post("/session", { email: reader.email, password }, { origin: "https://evil.example", "x-forwarded-for": address });
    expect(crossSite.status).toBe(403);
    const failures = await audit({ action: "session.sign_in", since, outcome: "failure" });
    expect(failures.map((event) => [event.actor.kind, event.address, event.reason])).toEqual([
      ["anonymous", address, "The request comes from another site (its Origin is not this server); it was refused."],
      ["anonymous", address, "The request was malformed."],
    ]);
    expect(JSON.stringify(failures)).not.toContain("hunter2");
  });

  it("records a password change with how many other sessions ended, and a wrong current password", async () => {
    const admin = await newAdmin();
    expect((await signInRequest(admin.email, password, nextAddress())).status).toBe(200);
    const since = now();
    expect((await admin.request("PUT", "/session/password", { currentPassword: "certainly not it", newPassword: "a second good passphrase" })).status).toBe(400);
    expect((await admin.request("PUT", "/session/password", { currentPassword: password, newPassword: "short" })).status).toBe(400);
    expect((await admin.request("PUT", "/session/password", { currentPassword: password, newPassword: "a second good passphrase" })).status).toBe(204);
    const events = await audit({ action: "admin.password_changed", since });
    expect(events.map((event) => [event.outcome, event.reason, event.details])).toEqual([
      ["success", null, { otherSessionsEnded: 1 }],
      ["failure", "The password must be at least 12 characters long.", {}],
      ["failure", "wrong current password", {}],
    ]);
    for (const event of events) expect(event).toMatchObject({ actor: actorOf(admin), address: admin.address, userAgent, target: { kind: "admin", id: admin.id, label: admin.email } });
  });
});

describe("admins and setup links", () => {
  it("records completing a setup link as the new admin's creation and sign-in, and a used link as a failure", async () => {
    const email = "linked@example.com";
    const since = now();
    const { secret } = await createSetupLink(server.store, cliActor(), email);
    const address = nextAddress();
    const done = await post(`/setup/${secret}`, { password }, { "x-forwarded-for": address });
    expect(done.status).toBe(200);
    const id = done.body.admin.id;
    expect(await latest("admin.setup_link_created", since)).toMatchObject({
      actor: { kind: "cli", id: null, label: cliActor().label },
      address: null,
      target: { kind: "setup_link", id: null, label: email },
      outcome: "success",
      details: { email, firstAdmin: false, expiresAt: iso },
    });
    expect(await latest("admin.created", since)).toMatchObject({ actor: { kind: "admin", id, label: email }, address, userAgent, target: { kind: "admin", id, label: email }, outcome: "success", details: { method: "setup_link", firstAdmin: false } });
    expect(await latest("session.sign_in", since)).toMatchObject({ actor: { kind: "admin", id }, details: { method: "setup_link" } });

    const again = await post(`/setup/${secret}`, { password }, { "x-forwarded-for": address });
    expect(again.status).toBe(410);
    expect(await latest("admin.created", since, { outcome: "failure" })).toMatchObject({ actor: { kind: "anonymous", id: null }, address, target: null, outcome: "failure", reason: expect.stringContaining("not valid") });
  });
});

describe("tenants", () => {
  it("records creating, renaming and deleting a tenant, and the events outlive the tenant", async () => {
    const admin = await newAdmin();
    const since = now();
    const created = await admin.request("POST", "/tenants", { slug: "audited", name: "Audited Inc" });
    expect(created.status).toBe(201);
    expect((await admin.request("PATCH", "/tenants/audited", { name: "Audited GmbH" })).status).toBe(200);
    expect((await admin.request("DELETE", "/tenants/audited", { confirm: "audited" })).status).toBe(204);

    const events = await audit({ tenant: "audited", since });
    expect(events.map((event) => event.action)).toEqual(["tenant.deleted", "tenant.renamed", "tenant.created"]);
    const tenantId = events[2].target.id;
    for (const event of events) {
      expect(event).toMatchObject({ actor: actorOf(admin), address: admin.address, userAgent, target: { kind: "tenant", id: tenantId, label: "audited" }, tenant: { id: tenantId, slug: "audited" }, outcome: "success", reason: null });
    }
    expect(events[2].details).toEqual({ name: "Audited Inc" });
    expect(events[1].details).toEqual({ oldName: "Audited Inc", newName: "Audited GmbH" });
    expect(events[0].details).toEqual({ name: "Audited GmbH", users: 0, groups: 0, tokens: 0 });
  });

  it("records refused tenant changes with their reasons", async () => {
    const admin = await newAdmin();
    expect((await admin.request("POST", "/tenants", { slug: "occupied" })).status).toBe(201);
    const since = now();
    expect((await admin.request("POST", "/tenants", { slug: "occupied" })).status).toBe(409);
    expect((await admin.request("POST", "/tenants", { slug: "Not A Slug" })).status).toBe(400);
    expect((await admin.request("PATCH", "/tenants/missing", { name: "X" })).status).toBe(404);
    expect((await admin.request("DELETE", "/tenants/occupied", { confirm: "wrong" })).status).toBe(400);
    expect((await admin.request("DELETE", "/tenants/occupied", { confirm: "occupied" }, { "x-csrf-token": "forged" })).status).toBe(403);
    const failures = await audit({ action: "tenant.*", outcome: "failure", since });
    expect(failures.map((event) => [event.action, event.tenant, event.reason])).toEqual([
      ["tenant.deleted", { id: null, slug: "occupied" }, "The X-CSRF-Token header is missing or wrong; send the csrfToken of GET /api/session."],
      ["tenant.deleted", { id: null, slug: "occupied" }, 'To delete tenant "occupied" and all its data, repeat its slug in "confirm".'],
      ["tenant.renamed", { id: null, slug: "missing" }, 'There is no tenant "missing".'],
      ["tenant.created", { id: null, slug: "Not A Slug" }, expect.stringContaining('Tenant slug "Not A Slug" is not valid')],
      ["tenant.created", { id: null, slug: "occupied" }, 'The slug "occupied" is taken by another tenant.'],
    ]);
    for (const event of failures) expect(event.actor).toEqual(actorOf(admin));
    expect((await admin.request("GET", "/tenants/occupied")).status).toBe(200);
  });
});

describe("SCIM tokens", () => {
  it("records creating and revoking a token with its client name and masked form, never the token", async () => {
    const admin = await newAdmin();
    expect((await admin.request("POST", "/tenants", { slug: "tokened" })).status).toBe(201);
    const since = now();
    const created = await admin.request("POST", "/tenants/tokened/tokens", { clientName: "Azure AD SCIM" });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    const id: string = created.body.summary.id;
    expect((await admin.request("DELETE", `/tenants/tokened/tokens/${id}`)).status).toBe(204);
    const events = await audit({ action: "scim_token.*", since });
    expect(events.map((event) => event.action)).toEqual(["scim_token.revoked", "scim_token.created"]);
    for (const event of events) {
      expect(event).toMatchObject({
        actor: actorOf(admin),
        address: admin.address,
        target: { kind: "scim_token", id, label: "Azure AD SCIM" },
        tenant: { id: expect.any(String), slug: "tokened" },
        outcome: "success",
        details: { clientName: "Azure AD SCIM", maskedToken: created.body.summary.maskedToken },
      });
    }
    // mst_<id>_<secret>; the secret is base64url and may itself contain "_".
    expect(JSON.stringify(events)).not.toContain(token.split("_").slice(2).join("_"));
  });

  it("records refused token changes: unknown token, a whole token given as id (only its id is kept), unknown tenant", async () => {
    const admin = await newAdmin();
    expect((await admin.request("POST", "/tenants", { slug: "refusals" })).status).toBe(201);
    const issued = (await admin.request("POST", "/tenants/refusals/tokens", { clientName: "Okta" })).body;
    const since = now();
    expect((await admin.request("DELETE", "/tenants/refusals/tokens/0123456789abcdef01234567")).status).toBe(404);
    expect((await admin.request("DELETE", `/tenants/refusals/tokens/${encodeURIComponent(issued.token)}`)).status).toBe(404);
    expect((await admin.request("POST", "/tenants/nowhere/tokens", { clientName: "Okta" })).status).toBe(404);
    expect((await admin.request("POST", "/tenants/refusals/tokens", { clientName: " " })).status).toBe(400);
    const failures = await audit({ action: "scim_token.*", since });
    expect(failures.map((event) => [event.action, event.target, event.tenant.slug, event.outcome])).toEqual([
      ["scim_token.created", { kind: "scim_token", id: null, label: "" }, "refusals", "failure"],
      ["scim_token.created", { kind: "scim_token", id: null, label: "Okta" }, "nowhere", "failure"],
      ["scim_token.revoked", { kind: "scim_token", id: issued.summary.id, label: null }, "refusals", "failure"],
      ["scim_token.revoked", { kind: "scim_token", id: "0123456789abcdef01234567", label: null }, "refusals", "failure"],
    ]);
    expect(JSON.stringify(failures)).not.toContain(issued.token.split("_").slice(2).join("_"));
  });
});

describe("reading the log", () => {
  it("is for signed-in admins only, and a request without a session is not recorded", async () => {
    expect((await server.fetch("GET", `${server.url}/api/audit`)).status).toBe(401);
    expect((await server.fetch("GET", `${server.url}/api/audit/export?format=csv`)).status).toBe(401);
    const since = now();
    expect((await server.fetch("POST", `${server.url}/api/tenants`, { body: { slug: "anon" }, headers: { "content-type": "application/json" } })).status).toBe(401);
    expect(await audit({ since, action: "tenant.created" })).toEqual([]);
  });

  it("pages newest first with a cursor, counts the matches, and combines filters", async () => {
    const admin = await newAdmin();
    const since = now();
    for (let i = 0; i < 7; i++) expect((await admin.request("POST", "/tenants", { slug: `paged-${i}` })).status).toBe(201);
    const until = now();
    const first = await reader.request("GET", `/audit?action=tenant.created&since=${since}&count=3`);
    expect(first.body.total).toBe(7);
    expect(first.body.items.map((event: any) => event.tenant.slug)).toEqual(["paged-6", "paged-5", "paged-4"]);
    const second = await reader.request("GET", `/audit?action=tenant.created&since=${since}&count=3&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items.map((event: any) => event.tenant.slug)).toEqual(["paged-3", "paged-2", "paged-1"]);
    expect((await audit({ actor: admin.email.toUpperCase(), since, until })).length).toBe(7);
    expect((await audit({ actorId: admin.id, actorKind: "admin", outcome: "success", since })).length).toBe(7);
    expect((await audit({ q: "paged-3", since })).map((event) => event.tenant.slug)).toEqual(["paged-3"]);
    expect(await audit({ actorKind: "api_key", since })).toEqual([]);
    // A cursor belongs to its filters.
    expect((await reader.request("GET", `/audit?action=tenant.renamed&cursor=${encodeURIComponent(first.body.nextCursor)}`)).status).toBe(400);
  });

  it("refuses unknown filters with 400 invalid naming the parameter", async () => {
    for (const [query, field] of [["action=tenant.exploded", "action"], ["action=nothing.*", "action"], ["outcome=maybe", "outcome"], ["actorKind=robot", "actorKind"], ["since=yesterday", "since"], ["count=0", "count"]] as const) {
      const response = await reader.request("GET", `/audit?${query}`);
      expect({ query, status: response.status, field: response.body.error.field }).toEqual({ query, status: 400, field });
    }
  });
});

describe("exporting the log", () => {
  it("streams CSV with a header, RFC 4180 quoting and formulas defused, as an attachment; the export is recorded", async () => {
    const admin = await newAdmin();
    const since = now();
    const formula = '=HYPERLINK("https://evil.example","click")';
    expect((await admin.request("POST", "/tenants", { slug: "csv-export" }, { "user-agent": formula })).status).toBe(201);
    const clientName = '-2+3, "quoted"\nsecond line';
    expect((await admin.request("POST", "/tenants/csv-export/tokens", { clientName }, { "user-agent": "@SUM(1+1)" })).status).toBe(201);
    const response = await fetch(`${server.url}/api/audit/export?format=csv&tenant=csv-export&since=${since}`, { headers: { cookie: admin.cookie, "user-agent": userAgent, "x-forwarded-for": admin.address } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="muster-audit-\d{8}T\d{6}Z\.csv"$/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(["id", "occurredAt", "actorKind", "actorId", "actorLabel", "address", "userAgent", "action", "targetKind", "targetId", "targetLabel", "tenantId", "tenantSlug", "outcome", "reason", "details"]);
    const byAction = new Map(rows.map((row) => [row[7], Object.fromEntries(header!.map((name, i) => [name, row[i]]))]));
    expect(rows).toHaveLength(2);
    expect(byAction.get("tenant.created")).toMatchObject({ actorKind: "admin", actorId: admin.id, actorLabel: admin.email, address: admin.address, userAgent: `'${formula}`, targetKind: "tenant", tenantSlug: "csv-export", outcome: "success", reason: "" });
    expect(byAction.get("scim_token.created")).toMatchObject({ userAgent: "'@SUM(1+1)", targetLabel: `'${clientName}` });
    expect(JSON.parse(byAction.get("scim_token.created")!.details!)).toEqual({ clientName, maskedToken: expect.stringMatching(/^mst_/) });
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(await latest("audit.exported", since)).toMatchObject({ actor: actorOf(admin), address: admin.address, outcome: "success", details: { format: "csv", filter: { tenantSlug: "csv-export", since } } });
  });

  it("streams JSON as one array of the same events the API lists", async () => {
    const since = now();
    expect((await reader.request("POST", "/tenants", { slug: "json-export" })).status).toBe(201);
    const response = await fetch(`${server.url}/api/audit/export?format=json&tenant=json-export`, { headers: { cookie: reader.cookie } });
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="muster-audit-\d{8}T\d{6}Z\.json"$/);
    const exported = (await response.json()) as any[];
    expect(exported).toEqual(await audit({ tenant: "json-export" }));
    expect(exported.map((event: any) => event.action)).toEqual(["tenant.created"]);
    expect(await latest("audit.exported", since)).toMatchObject({ details: { format: "json", filter: { tenantSlug: "json-export" } } });
    const none = await fetch(`${server.url}/api/audit/export?format=json&tenant=no-such-tenant`, { headers: { cookie: reader.cookie } });
    expect(await none.json()).toEqual([]);
  });

  it("exports more events than one page holds, in order", async () => {
    const admin = await newAdmin();
    const since = now();
    await server.store.write(async (session) => {
      for (let i = 0; i < 1200; i++) {
        await session.audit.append({ id: `0190a000-0000-7000-8000-${String(i).padStart(12, "0")}`, occurredAt: new Date(Date.parse(since) + 1).toISOString(), actorKind: "system", actorId: null, actorLabel: "bulk", address: null, userAgent: null, action: "tenant.renamed", targetKind: null, targetId: null, targetLabel: null, tenantId: null, tenantSlug: "bulk", outcome: "success", reason: null, details: { i } });
      }
    });
    const response = await fetch(`${server.url}/api/audit/export?format=csv&tenant=bulk`, { headers: { cookie: admin.cookie } });
    const rows = (await response.text()).trim().split("\r\n").slice(1);
    expect(rows).toHaveLength(1200);
    expect(rows[0]).toContain('{""i"":1199}');
    expect(rows[1199]).toContain('{""i"":0}');
  });

  it("refuses a missing or unknown format with 400, recorded as a failed export", async () => {
    const since = now();
    expect((await reader.request("GET", "/audit/export")).status).toBe(400);
    expect((await reader.request("GET", "/audit/export?format=xlsx")).status).toBe(400);
    expect((await audit({ action: "audit.exported", since })).map((event) => [event.outcome, event.reason])).toEqual([
      ["failure", "format must be one of csv, json."],
      ["failure", "format must be one of csv, json."],
    ]);
  });
});

describe("coverage", () => {
  it("names an audit action on every state-changing admin API route", async () => {
    const routes: { key: string; audit: unknown }[] = [];
    const app = Fastify();
    app.addHook("onRoute", (route: RouteOptions) => {
      for (const method of [route.method].flat()) routes.push({ key: `${method} ${route.url}`, audit: route.config?.audit });
    });
    const provisioning = { store: server.store, registry, cursors: new CursorCodec(randomBytes(32)), now: () => new Date() };
    await app.register(adminApiPlugin, { prefix: "/api", store: server.store, provisioning, authenticator: server.server.authenticator, publicUrl: () => "http://x", sessionIdleHours: 12, activityRetentionDays: 30, nodeHealth: () => server.server.health.snapshot() });
    await app.ready();
    await app.close();
    const changing = routes.filter((route) => /^(POST|PUT|PATCH|DELETE) /.test(route.key));
    expect(changing.length).toBeGreaterThanOrEqual(9);
    expect(changing.filter((route) => route.audit === undefined).map((route) => route.key)).toEqual([]);
    expect(routes.find((route) => route.key === "GET /api/audit/export")?.audit).toBe("audit.exported");
  });
});

/** The fields of an RFC 4180 text (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") row.push(field), (field = "");
    else if (char === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += char;
  }
  return rows;
}
