import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildServer } from "../../src/http/server.js";
import { createTenant } from "../../src/provisioning/tenants.js";
import { createToken } from "../../src/provisioning/tokens.js";
import { openTempStore } from "../../src/store/testing/temp-store.js";
import { signInAdmin, type AdminSession } from "../support/admin-session.js";
import { startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

let server: TestServer;
let admin: AdminSession;
let acme: TestTenant;
let other: TestTenant;
beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAdmin(server);
  acme = await server.addTenant("acme");
  other = await server.addTenant("other");
});
afterAll(() => server.close());

const apiError = (code: string, field: string | null = null) => ({ error: { code, message: expect.any(String), field } });

async function activity(query = "", slug = "acme") {
  await server.server.activity.flush();
  const response = await admin.request("GET", `/tenants/${slug}/activity${query}`);
  expect(response.status).toBe(200);
  return response.body;
}

describe("SCIM requests in Activity", () => {
  it("shows a successful SCIM request with its client, method, path, resource and status", async () => {
    const created = await acme.request("POST", "/Users?attributes=userName", { body: userBody("first@acme.example"), headers: { "x-request-id": "req-first" } });
    expect(created.status).toBe(201);
    const page = await activity();
    expect(page.items[0]).toEqual({
      id: expect.any(String),
      at: expect.any(String),
      tokenId: acme.token.slice(4, 28),
      clientName: "acme test client",
      method: "POST",
      path: "/Users",
      resource: "Users",
      status: 201,
      outcome: "success",
      errorCode: null,
      errorDetail: null,
      durationMs: expect.any(Number),
      requestId: "req-first",
    });
  });

  it("shows a SCIM error with its scimType and detail", async () => {
    await acme.request("POST", "/Users", { body: userBody("dup@acme.example") });
    const conflict = await acme.request("POST", "/Users", { body: userBody("DUP@acme.example") });
    expect(conflict.status).toBe(409);
    const [latest] = (await activity()).items;
    expect(latest).toMatchObject({ method: "POST", status: 409, outcome: "failure", errorCode: "uniqueness", errorDetail: conflict.body.detail });
  });

  it("shows a 401 with a revoked token under the token's client name", async () => {
    const created = (await admin.request("POST", "/tenants/acme/tokens", { clientName: "Azure AD SCIM" })).body;
    expect((await admin.request("DELETE", `/tenants/acme/tokens/${created.summary.id}`)).status).toBe(204);
    const refused = await acme.request("GET", "/Groups?filter=displayName%20eq%20%22x%22", { token: created.token });
    expect(refused.status).toBe(401);
    const [latest] = (await activity()).items;
    expect(latest).toMatchObject({ tokenId: created.summary.id, clientName: "Azure AD SCIM", method: "GET", path: "/Groups", resource: "Groups", status: 401, outcome: "failure", errorCode: "unauthorized", errorDetail: refused.body.detail });
  });

  it("shows a 401 with another tenant's token under that token, and one without a token as unknown", async () => {
    await acme.request("GET", "/ServiceProviderConfig", { token: other.token });
    expect((await activity()).items[0]).toMatchObject({ tokenId: other.token.slice(4, 28), clientName: "other test client", status: 401, resource: "Discovery" });
    await acme.request("GET", "/Users", { token: null });
    expect((await activity()).items[0]).toMatchObject({ tokenId: null, clientName: null, status: 401 });
    await acme.request("GET", "/Users", { token: "mst_0123456789abcdef01234567_forgedforgedforgedforgedforgedforgedforg" });
    expect((await activity()).items[0]).toMatchObject({ tokenId: null, clientName: null, status: 401 });
  });

  it("records nothing for a tenant that does not exist, and keeps tenants apart", async () => {
    const before = (await activity("", "other")).total;
    await server.fetch("GET", `${server.url}/scim/v2/nowhere/Users`, { headers: { authorization: `Bearer ${acme.token}` } });
    await other.request("GET", "/Users");
    const after = await activity("", "other");
    expect(after.total).toBe(before + 1);
    expect(after.items.every((entry: { path: string }) => !entry.path.includes("nowhere"))).toBe(true);
  });

  it("writes entries within about a second without being asked", async () => {
    await other.request("GET", "/Schemas", { headers: { "x-request-id": "req-unflushed" } });
    await vi.waitFor(
      async () => {
        const page = (await admin.request("GET", "/tenants/other/activity?count=1")).body;
        expect(page.items[0]?.requestId).toBe("req-unflushed");
      },
      { timeout: 5_000, interval: 100 },
    );
  });
});

describe("GET /tenants/{slug}/activity", () => {
  it("filters by outcome, token and resource, newest first, and pages with a cursor", async () => {
    for (let i = 0; i < 3; i++) await acme.request("GET", `/Users/missing-${i}`);
    const failures = await activity("?outcome=failure&resource=Users&count=2");
    expect(failures.items.map((e: { path: string }) => e.path)).toEqual(["/Users/missing-2", "/Users/missing-1"]);
    expect(failures.items.every((e: { outcome: string; resource: string }) => e.outcome === "failure" && e.resource === "Users")).toBe(true);
    const next = await activity(`?outcome=failure&resource=Users&count=2&cursor=${failures.nextCursor}`);
    expect(next.items[0].path).toBe("/Users/missing-0");
    expect(next.total).toBe(failures.total);
    const byToken = await activity(`?tokenId=${other.token.slice(4, 28)}`);
    expect(byToken.total).toBeGreaterThan(0);
    expect(byToken.items.every((e: { tokenId: string }) => e.tokenId === other.token.slice(4, 28))).toBe(true);
  });

  it.each([
    ["?outcome=broken", "outcome"],
    ["?resource=Tokens", "resource"],
    ["?count=201", "count"],
    ["?cursor=nope", "cursor"],
  ])("answers 400 invalid for %s", async (query, field) => {
    expect(await admin.request("GET", `/tenants/acme/activity${query}`)).toMatchObject({ status: 400, body: apiError("invalid", field) });
  });

  it("answers 404 for an unknown tenant", async () => {
    expect(await admin.request("GET", "/tenants/nope/activity")).toMatchObject({ status: 404, body: apiError("not_found") });
  });
});

describe("GET /tenants/{slug}/stats", () => {
  it("counts users, active users, groups, and the last 24 hours of requests and errors", async () => {
    const fresh = await server.addTenant("fresh");
    await fresh.request("POST", "/Users", { body: userBody("on@fresh.example", { active: true }) });
    await fresh.request("POST", "/Users", { body: userBody("off@fresh.example", { active: false }) });
    await fresh.request("POST", "/Groups", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "G" } });
    await fresh.request("GET", "/Users/nope");
    await server.server.activity.flush();
    const response = await admin.request("GET", "/tenants/fresh/stats");
    expect(response).toMatchObject({ status: 200, body: { users: 2, activeUsers: 1, groups: 1, requests24h: 4, errors24h: 1, activityRetentionDays: 30 } });
    expect(await admin.request("GET", "/tenants/nope/stats")).toMatchObject({ status: 404, body: apiError("not_found") });
  });
});

describe("shutdown", () => {
  it("writes buffered activity when the server closes", async () => {
    const temp = await openTempStore();
    const { store } = temp;
    try {
      const tenant = await createTenant(store, "acme", undefined);
      const { token } = await createToken(store, tenant, "Okta");
      const muster = await buildServer({ store, publicUrl: "http://127.0.0.1", logger: false });
      const response = await muster.app.inject({ method: "GET", url: "/scim/v2/acme/Users", headers: { authorization: `Bearer ${token}` } });
      expect(response.statusCode).toBe(200);
      expect(muster.activity.pending).toBe(1);
      await muster.close();
      const page = await store.read((s) => s.activity.list(tenant.id, {}, { count: 10 }));
      expect(page.records).toMatchObject([{ clientName: "Okta", path: "/Users", status: 200 }]);
    } finally {
      await temp.dispose();
    }
  });
});
