import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken, revokeToken } from "../../src/provisioning/tokens.js";
import { startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

let server: TestServer;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  server = await startTestServer({ authCacheMillis: 0, lastUsedFlushMillis: 50 });
  acme = await server.addTenant("acme");
  globex = await server.addTenant("globex");
});
afterAll(() => server.close());

const errorShape = { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" };

describe("bearer tokens", () => {
  it("accepts 'Bearer', 'bearer' and a bare token (OKT-01)", async () => {
    for (const header of [`Bearer ${acme.token}`, `bearer ${acme.token}`, acme.token]) {
      const response = await acme.request("GET", "/Users", { token: null, headers: { authorization: header } });
      expect(response.status).toBe(200);
    }
  });

  it("answers 401 with a SCIM error and WWW-Authenticate for a missing, malformed or wrong token", async () => {
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer" }, { authorization: "Basic dXNlcjpwYXNz" }, { authorization: "non-token" }, { authorization: `Bearer ${acme.token}x` }]) {
      const response = await acme.request("GET", "/Users", { token: null, headers });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject(errorShape);
      expect(response.body.detail.length).toBeGreaterThan(0);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
      expect(response.headers.get("content-type")).toBe("application/scim+json; charset=utf-8");
    }
  });

  it("gives a token of one tenant 401 on another tenant's base URL, so it can neither read nor write there", async () => {
    const created = await globex.request("POST", "/Users", { body: userBody("secret@globex.example") });
    const read = await globex.request("GET", `/Users/${created.body.id}`, { token: acme.token });
    expect(read.status).toBe(401);
    const write = await globex.request("DELETE", `/Users/${created.body.id}`, { token: acme.token });
    expect(write.status).toBe(401);
    const viaOwnTenant = await acme.request("GET", `/Users/${created.body.id}`);
    expect(viaOwnTenant.status).toBe(404);
    expect((await globex.request("GET", `/Users/${created.body.id}`)).status).toBe(200);
  });

  it("answers 401 for an unknown tenant without revealing whether it exists", async () => {
    const response = await server.fetch("GET", `${server.url}/scim/v2/nope/Users`, { headers: { authorization: `Bearer ${acme.token}` } });
    expect(response.status).toBe(401);
  });

  it("stops accepting a revoked token", async () => {
    const issued = await createToken(server.store, acme.record, "Short-lived");
    expect((await acme.request("GET", "/Users", { token: issued.token })).status).toBe(200);
    await revokeToken(server.store, acme.record, issued.record.id);
    expect((await acme.request("GET", "/Users", { token: issued.token })).status).toBe(401);
  });

  it("records the last used time without a write per request", async () => {
    const issued = await createToken(server.store, acme.record, "Tracked");
    const before = Date.now();
    await acme.request("GET", "/Users?count=0", { token: issued.token });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const tokens = await server.store.read((session) => session.tokens.list(acme.record.id));
    const tracked = tokens.find((token) => token.id === issued.record.id)!;
    expect(tracked.lastUsed).toBeDefined();
    expect(Date.parse(tracked.lastUsed!)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("stores only a hash of the token", async () => {
    const tokens = await server.store.read((session) => session.tokens.list(acme.record.id));
    const serialized = JSON.stringify(tokens);
    expect(serialized).not.toContain(acme.token.slice(29));
    expect(acme.token).toMatch(/^mst_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
  });
});
