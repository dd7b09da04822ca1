import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAdmin, type AdminSession } from "../support/admin-session.js";
import { startTestServer, userBody, type TestServer } from "../support/scim-server.js";

let server: TestServer;
let admin: AdminSession;
beforeAll(async () => {
  // A long authenticator cache: a revoked token must still stop at once on this node.
  server = await startTestServer({ authCacheMillis: 60_000 });
  admin = await signInAdmin(server);
});
afterAll(() => server.close());

const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const apiError = (code: string, field: string | null = null) => ({ error: { code, message: expect.any(String), field } });

describe("tenants", () => {
  it("POST /tenants creates a tenant: 201 with its SCIM base URL; the name defaults to the slug", async () => {
    const response = await admin.request("POST", "/tenants", { slug: "acme", name: "Acme Corp" });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ slug: "acme", name: "Acme Corp", createdAt: iso, scimBaseUrl: `${server.url}/scim/v2/acme` });
    expect((await admin.request("POST", "/tenants", { slug: "beta" })).body.name).toBe("beta");
  });

  it("POST /tenants answers 409 conflict for a taken slug and 400 invalid naming the field", async () => {
    await admin.request("POST", "/tenants", { slug: "taken" });
    expect(await admin.request("POST", "/tenants", { slug: "taken" })).toMatchObject({ status: 409, body: apiError("conflict", "slug") });
    expect(await admin.request("POST", "/tenants", { slug: "Not A Slug" })).toMatchObject({ status: 400, body: apiError("invalid", "slug") });
    expect(await admin.request("POST", "/tenants", { name: "No slug" })).toMatchObject({ status: 400, body: apiError("invalid", "slug") });
    expect(await admin.request("POST", "/tenants", { slug: "fine", name: 7 })).toMatchObject({ status: 400, body: apiError("invalid", "name") });
    expect(await admin.request("POST", "/tenants", ["acme"])).toMatchObject({ status: 400, body: apiError("invalid") });
  });

  it("GET /tenants lists every tenant by slug; GET /tenants/{slug} reads one, 404 not_found otherwise", async () => {
    const list = await admin.request("GET", "/tenants");
    expect(list.status).toBe(200);
    const slugs = (list.body as { slug: string }[]).map((t) => t.slug);
    expect(slugs).toEqual([...slugs].sort());
    expect(slugs).toEqual(expect.arrayContaining(["acme", "beta"]));
    expect(await admin.request("GET", "/tenants/acme")).toMatchObject({ status: 200, body: { slug: "acme", name: "Acme Corp" } });
    expect(await admin.request("GET", "/tenants/nope")).toMatchObject({ status: 404, body: apiError("not_found") });
  });

  it("PATCH /tenants/{slug} renames: 200; 400 for a bad name; 404 for an unknown tenant", async () => {
    expect(await admin.request("PATCH", "/tenants/beta", { name: "Beta GmbH" })).toMatchObject({ status: 200, body: { slug: "beta", name: "Beta GmbH", scimBaseUrl: `${server.url}/scim/v2/beta` } });
    expect(await admin.request("PATCH", "/tenants/beta", { name: "" })).toMatchObject({ status: 400, body: apiError("invalid", "name") });
    expect(await admin.request("PATCH", "/tenants/beta", {})).toMatchObject({ status: 400, body: apiError("invalid", "name") });
    expect(await admin.request("PATCH", "/tenants/nope", { name: "X" })).toMatchObject({ status: 404, body: apiError("not_found") });
  });

  it("DELETE /tenants/{slug} needs confirm to repeat the slug, then deletes the tenant and its SCIM data: 204", async () => {
    const doomed = await server.addTenant("doomed");
    expect((await doomed.request("POST", "/Users", { body: userBody("gone@x.example") })).status).toBe(201);
    expect(await admin.request("DELETE", "/tenants/doomed", { confirm: "acme" })).toMatchObject({ status: 400, body: apiError("invalid", "confirm") });
    expect(await admin.request("DELETE", "/tenants/doomed", {})).toMatchObject({ status: 400, body: apiError("invalid", "confirm") });
    expect((await admin.request("DELETE", "/tenants/doomed", { confirm: "doomed" })).status).toBe(204);
    expect((await admin.request("GET", "/tenants/doomed")).status).toBe(404);
    expect((await doomed.request("GET", "/Users")).status).toBe(401);
    expect(await admin.request("DELETE", "/tenants/doomed", { confirm: "doomed" })).toMatchObject({ status: 404, body: apiError("not_found") });
  });
});

describe("tokens", () => {
  it("POST /tenants/{slug}/tokens creates a token shown once, which then works over SCIM: 201", async () => {
    const response = await admin.request("POST", "/tenants/acme/tokens", { clientName: "Azure AD SCIM" });
    expect(response.status).toBe(201);
    const { token, summary, scimBaseUrl } = response.body;
    expect(token).toMatch(/^mst_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    expect(summary).toEqual({ id: token.slice(4, 28), clientName: "Azure AD SCIM", maskedToken: `mst_••••••••${token.slice(-4)}`, createdAt: iso, lastUsedAt: null, revokedAt: null });
    expect(scimBaseUrl).toBe(`${server.url}/scim/v2/acme`);
    const scim = await server.fetch("GET", `${scimBaseUrl}/Users`, { headers: { authorization: `Bearer ${token}` } });
    expect(scim.status).toBe(200);
  });

  it("POST …/tokens answers 400 invalid for a missing client name and 404 for an unknown tenant", async () => {
    expect(await admin.request("POST", "/tenants/acme/tokens", {})).toMatchObject({ status: 400, body: apiError("invalid", "clientName") });
    expect(await admin.request("POST", "/tenants/acme/tokens", { clientName: "   " })).toMatchObject({ status: 400, body: apiError("invalid", "clientName") });
    expect(await admin.request("POST", "/tenants/nope/tokens", { clientName: "Okta" })).toMatchObject({ status: 404, body: apiError("not_found") });
  });

  it("GET …/tokens lists newest first with masked tokens and never a secret", async () => {
    await admin.request("POST", "/tenants/beta/tokens", { clientName: "First" });
    await admin.request("POST", "/tenants/beta/tokens", { clientName: "Second" });
    const response = await admin.request("GET", "/tenants/beta/tokens");
    expect(response.status).toBe(200);
    expect(response.body.map((t: { clientName: string }) => t.clientName)).toEqual(["Second", "First"]);
    expect(response.text).not.toMatch(/mst_[0-9a-f]{24}_/);
    expect(Object.keys(response.body[0]).sort()).toEqual(["clientName", "createdAt", "id", "lastUsedAt", "maskedToken", "revokedAt"]);
    expect((await admin.request("GET", "/tenants/nope/tokens")).status).toBe(404);
  });

  it("DELETE …/tokens/{id} revokes: SCIM answers 401 at once; revoking again or another tenant's token is 404", async () => {
    const created = (await admin.request("POST", "/tenants/acme/tokens", { clientName: "Okta" })).body;
    const scim = (token: string) => server.fetch("GET", `${created.scimBaseUrl}/Users`, { headers: { authorization: `Bearer ${token}` } });
    expect((await scim(created.token)).status).toBe(200);
    expect((await admin.request("DELETE", `/tenants/beta/tokens/${created.summary.id}`)).status).toBe(404);
    expect((await admin.request("DELETE", `/tenants/acme/tokens/${created.summary.id}`)).status).toBe(204);
    expect((await scim(created.token)).status).toBe(401);
    const listed = (await admin.request("GET", "/tenants/acme/tokens")).body.find((t: { id: string }) => t.id === created.summary.id);
    expect(listed.revokedAt).toEqual(iso);
    expect(await admin.request("DELETE", `/tenants/acme/tokens/${created.summary.id}`)).toMatchObject({ status: 404, body: apiError("not_found") });
    expect((await admin.request("DELETE", "/tenants/acme/tokens/unknown")).status).toBe(404);
  });

  it("shows a token's last use once the server has written it", async () => {
    const created = (await admin.request("POST", "/tenants/acme/tokens", { clientName: "Used" })).body;
    await server.fetch("GET", `${created.scimBaseUrl}/Users`, { headers: { authorization: `Bearer ${created.token}` } });
    await server.server.authenticator.flush();
    const listed = (await admin.request("GET", "/tenants/acme/tokens")).body.find((t: { id: string }) => t.id === created.summary.id);
    expect(listed.lastUsedAt).toEqual(iso);
  });
});
