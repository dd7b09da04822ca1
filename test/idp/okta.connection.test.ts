import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../src/provisioning/tokens.js";
import { oktaProfile, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { errorMessage, listResponse, oktaCreateUserBody, oktaFindUser, oktaUserId } from "./support/okta-requests.js";
import { rawRequest, type RawResponse } from "./support/raw-client.js";

/** Okta's connection setup: authentication modes, headers and "Test API Credentials" (COMPATIBILITY.md §2.1). */

let harness: IdpHarness;
let okta: IdpClient;

beforeAll(async () => {
  harness = await startIdpHarness();
  okta = await harness.tenant("okta-connection", oktaProfile);
});
afterAll(() => harness.close());

/** A request with Okta's headers and exactly the Authorization value given (or none). */
function withAuthorization(method: string, path: string, authorization: string | undefined, body?: unknown): Promise<RawResponse> {
  const headers: Record<string, string> = { ...oktaProfile.headers };
  if (authorization !== undefined) headers.authorization = authorization;
  if (body !== undefined) headers["content-type"] = oktaProfile.contentType;
  return rawRequest(method, `${okta.baseUrl}${path}`, headers, body === undefined ? undefined : JSON.stringify(body));
}

function expectScimUnauthorized(response: RawResponse): void {
  expect(response.status).toBe(401);
  expect(response.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
  expect(response.headers["www-authenticate"]).toBe('Bearer realm="muster"');
  expect(response.body).toMatchObject({ schemas: [errorMessage], status: "401" });
  expect(response.body.detail).toEqual(expect.any(String));
  expect(response.body.detail.length).toBeGreaterThan(0);
}

describe("Okta authentication", () => {
  it.each([
    ["Bearer <token>", (token: string) => `Bearer ${token}`],
    ["bearer <token>", (token: string) => `bearer ${token}`],
    ["a bare <token> (HTTP header mode without the prefix)", (token: string) => token],
  ])("OKT-01: accepts the token as %s on reads and writes", async (label, header) => {
    const userName = `auth-${label.split(" ")[0]!.replace(/\W/g, "")}-${oktaUserId()}@example.org`;
    const created = await withAuthorization("POST", "/Users", header(okta.token), oktaCreateUserBody({ userName, givenName: "Auth", familyName: "Mode" }));
    expect(created.status).toBe(201);
    const found = await withAuthorization("GET", `/Users/${created.body.id}`, header(okta.token));
    expect(found.status).toBe(200);
    expect(found.body.userName).toBe(userName);
  });

  it.each([
    ["Basic with the token as password", (token: string) => `Basic ${Buffer.from(`okta:${token}`).toString("base64")}`],
    ["Basic with the token itself", (token: string) => `Basic ${token}`],
    ["Okta's own SSWS scheme", (token: string) => `SSWS ${token}`],
    ["a Token scheme", (token: string) => `Token ${token}`],
    ["Bearer without a token", () => "Bearer "],
    ["Bearer with a wrong token", (token: string) => `Bearer ${token}x`],
  ])("OKT-01: answers %s with a SCIM 401 and writes nothing", async (_label, header) => {
    const userName = `rejected-${oktaUserId()}@example.org`;
    const rejected = await withAuthorization("POST", "/Users", header(okta.token), oktaCreateUserBody({ userName, givenName: "Not", familyName: "Created" }));
    expectScimUnauthorized(rejected);
    expectScimUnauthorized(await withAuthorization("GET", "/Users?startIndex=1&count=2", header(okta.token)));
    const lookup = await oktaFindUser(okta, userName);
    expect(lookup.status).toBe(200);
    expect(lookup.body.totalResults).toBe(0);
  });

  it("OKT-01: answers a request without Authorization with a SCIM 401", async () => {
    expectScimUnauthorized(await withAuthorization("GET", "/Users?startIndex=1&count=2", undefined));
  });
});

describe("Okta headers and media types", () => {
  it("OKT-02: answers Okta's User-Agent and Accept with SCIM JSON", async () => {
    const response = await okta.get("/Users?startIndex=1&count=2");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
    expect(response.body.schemas).toEqual([listResponse]);
  });

  it.each(["application/scim+json", "application/json", "application/scim+json; charset=utf-8", "application/json; charset=UTF-8"])(
    "OKT-02: creates and patches users from bodies sent as %s",
    async (contentType) => {
      const client = okta.as({ ...oktaProfile, contentType });
      const userName = `media-${oktaUserId()}@example.org`;
      const created = await client.send("POST", "/Users", oktaCreateUserBody({ userName, givenName: "Media", familyName: "Type" }));
      expect(created.status).toBe(201);
      expect(created.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
      const patched = await client.send("PATCH", `/Users/${created.body.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", value: { active: false } }],
      });
      expect(patched.status).toBe(200);
      const stored = await okta.get(`/Users/${created.body.id}`);
      expect(stored.body).toMatchObject({ userName, name: { givenName: "Media", familyName: "Type" }, active: false });
    },
  );
});

describe("Okta Test API Credentials", () => {
  it("OKT-03: answers GET /Users?startIndex=1&count=2 and GET /Groups?startIndex=1&count=100 on an empty tenant with empty ListResponses", async () => {
    const empty = await harness.tenant("okta-credentials-empty", oktaProfile);
    const users = await empty.get("/Users?startIndex=1&count=2");
    expect(users.status).toBe(200);
    expect(users.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
    expect(users.body).toEqual({ schemas: [listResponse], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    const groups = await empty.get("/Groups?startIndex=1&count=100");
    expect(groups.status).toBe(200);
    expect(groups.body).toEqual({ schemas: [listResponse], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it("OKT-03: returns at most two users to the credential test while totalResults counts all of them", async () => {
    const tenant = await harness.tenant("okta-credentials-three", oktaProfile);
    for (const name of ["one", "two", "three"]) {
      expect((await tenant.send("POST", "/Users", oktaCreateUserBody({ userName: `${name}@example.org`, givenName: name, familyName: "Test" }))).status).toBe(201);
    }
    const users = await tenant.get("/Users?startIndex=1&count=2");
    expect(users.status).toBe(200);
    expect(users.body).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    expect(users.body.Resources.map((user: { userName: string }) => user.userName)).toEqual(["one@example.org", "two@example.org"]);
  });
});

describe("Okta rate limits", () => {
  let limited: IdpHarness;
  beforeAll(async () => {
    limited = await startIdpHarness({ rateLimitPerMinute: 4 });
  });
  afterAll(() => limited.close());

  it("OKT-25: answers requests over the per-token limit with 429, Retry-After and a SCIM error, and writes nothing", async () => {
    const client = await limited.tenant("okta-rate", oktaProfile);
    for (let i = 0; i < 4; i++) expect((await client.get("/Users?startIndex=1&count=2")).status).toBe(200);
    const over = await client.send("POST", "/Users", oktaCreateUserBody({ userName: "over.limit@example.org", givenName: "Over", familyName: "Limit" }));
    expect(over.status).toBe(429);
    expect(over.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
    expect(over.body).toMatchObject({ schemas: [errorMessage], status: "429" });
    expect(over.body.detail.length).toBeGreaterThan(0);
    const retryAfter = Number(over.headers["retry-after"]);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // A second token of the same tenant has its own budget and sees that nothing was written.
    const tenant = (await limited.server.store.read((session) => session.tenants.bySlug("okta-rate")))!;
    const other = await createToken(limited.server.store, tenant, "Okta (second app instance)");
    const lookup = await oktaFindUser(client.withToken(other.token), "over.limit@example.org");
    expect(lookup.status).toBe(200);
    expect(lookup.body.totalResults).toBe(0);
  });
});
