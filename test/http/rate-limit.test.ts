import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../src/provisioning/tokens.js";
import { startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

let server: TestServer;
let acme: TestTenant;

beforeAll(async () => {
  server = await startTestServer({ rateLimitPerMinute: 5 });
  acme = await server.addTenant("acme");
});
afterAll(() => server.close());

describe("per-token rate limit (ENT-71, OKT-25)", () => {
  it("answers the request over the limit with 429, a SCIM error and Retry-After, and writes nothing", async () => {
    for (let i = 0; i < 5; i++) {
      const response = await acme.request("GET", "/Users?count=0");
      expect(response.status).toBe(200);
      expect(response.headers.get("x-ratelimit-limit")).toBe("5");
    }
    const limited = await acme.request("POST", "/Users", { body: userBody("over@example.org") });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toBe("application/scim+json; charset=utf-8");
    expect(limited.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "429" });
    expect(limited.body.detail).toContain("MUSTER_RATE_LIMIT");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const other = await createToken(server.store, acme.record, "Second client");
    const found = await acme.request("GET", `/Users?filter=${encodeURIComponent('userName eq "over@example.org"')}`, { token: other.token });
    expect(found.status).toBe(200);
    expect(found.body.totalResults).toBe(0);
  });

  it("counts per token, not per tenant or address", async () => {
    const fresh = await createToken(server.store, acme.record, "Third client");
    expect((await acme.request("GET", "/Users?count=0", { token: fresh.token })).status).toBe(200);
  });

  it("does not count requests that fail authentication against a token", async () => {
    const fresh = await createToken(server.store, acme.record, "Fourth client");
    for (let i = 0; i < 10; i++) expect((await acme.request("GET", "/Users", { token: "wrong" })).status).toBe(401);
    expect((await acme.request("GET", "/Users?count=0", { token: fresh.token })).status).toBe(200);
  });
});
