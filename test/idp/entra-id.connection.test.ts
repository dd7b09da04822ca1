import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Urn } from "../../src/scim/urns.js";
import { entraGroupBody, entraUserBody } from "./support/entra-requests.js";
import { entraProfile, randomGuid, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { rawRequest } from "./support/raw-client.js";
import { expectCreated, expectList, expectScimError, scimContentType } from "./support/scim-expect.js";

/** Microsoft Entra ID: Tenant URL, Secret Token, headers and Test Connection (COMPATIBILITY.md §1.1–1.2). */

let harness: IdpHarness;
let entra: IdpClient;
let otherTenant: IdpClient;
let userId: string;

const emptyListResponse = { schemas: [Urn.ListResponse], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] };

beforeAll(async () => {
  harness = await startIdpHarness();
  entra = await harness.tenant("contoso", entraProfile);
  otherTenant = await harness.tenant("fabrikam", entraProfile);
  // A directory that is not empty, so an empty probe answer means "no match", not "no data".
  userId = expectCreated(await entra.send("POST", "/Users", entraUserBody("alex.ng@contoso.example"))).id;
  expectCreated(await entra.send("POST", "/Groups", entraGroupBody("Finance EU", randomGuid())));
});
afterAll(() => harness.close());

describe("Test Connection (ENT-10)", () => {
  it("ENT-10a: answers the random-GUID userName probe, form-encoded with + and %22, with 200 and an empty ListResponse", async () => {
    const guid = randomGuid();
    const response = await entra.get(`/Users?filter=userName+eq+%22${guid}%22`);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(scimContentType);
    expect(response.body).toEqual(emptyListResponse);
  });

  it("ENT-10b: answers the random-GUID probe on externalId, when that is the matching attribute, with 200 and an empty ListResponse", async () => {
    const response = await entra.filter("Users", `externalId eq "${randomGuid()}"`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(emptyListResponse);
  });

  it("ENT-10: answers the group probe with excludedAttributes=members and a GUID displayName with 200 and an empty ListResponse", async () => {
    const response = await entra.filter("Groups", `displayName eq "${randomGuid()}"`, "excludedAttributes=members");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(scimContentType);
    expect(response.body).toEqual(emptyListResponse);
  });

  it("ENT-10: answers a probe on emails[type eq \"work\"].value, the other documented matching attribute, with an empty ListResponse", async () => {
    const response = await entra.filter("Users", `emails[type eq "work"].value eq "${randomGuid()}@contoso.example"`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(emptyListResponse);
  });

  it("ENT-10c: answers the probe with a wrong token by 401 and a SCIM error body, never HTML", async () => {
    const response = await entra.withToken("mst_wrong_token").filter("Users", `userName eq "${randomGuid()}"`);
    expectScimError(response, 401);
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="muster"');
    expect(response.text).not.toMatch(/<html/i);
  });

  it("ENT-10c: answers the probe with another tenant's token by the same 401", async () => {
    const response = await entra.withToken(otherTenant.token).filter("Users", `userName eq "${randomGuid()}"`);
    expectScimError(response, 401);
  });

  it("ENT-10d, ENT-03: answers a probe that has no Accept and no User-Agent header with 200 SCIM JSON", async () => {
    const response = await rawRequest("GET", `${entra.baseUrl}/Users?filter=userName+eq+%22${randomGuid()}%22`, { authorization: `Bearer ${entra.token}` });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(scimContentType);
    expect(response.body).toEqual(emptyListResponse);
  });

  it("ENT-10, ENT-20: decodes a filter with literal quotes and %40 for @, as the validator sends it, and finds the user", async () => {
    const resources = expectList(await entra.get(`/Users?filter=userName+eq+"alex.ng%40contoso.example"`), 1);
    expect(resources[0].id).toBe(userId);
  });

  it("ENT-10, ENT-20: keeps a + in the value, sent as %2B, apart from the + that encodes a space", async () => {
    const created = expectCreated(await entra.send("POST", "/Users", entraUserBody("alex+tag@contoso.example")));
    expect(expectList(await entra.get("/Users?filter=userName+eq+%22alex%2Btag%40contoso.example%22"), 1)[0].id).toBe(created.id);
    expectList(await entra.get("/Users?filter=userName+eq+%22alex+tag%40contoso.example%22"), 0);
  });

  it("ENT-10, ENT-20: decodes a filter fully percent-encoded with %20, as a generic URL encoder sends it, and finds the user", async () => {
    const resources = expectList(await entra.get(`/Users?filter=${encodeURIComponent('userName eq "alex.ng@contoso.example"')}`), 1);
    expect(resources[0].id).toBe(userId);
  });
});

describe("Tenant URL and Secret Token (ENT-01)", () => {
  it("ENT-01: accepts every request that carries the Secret Token as a bearer token", async () => {
    expect((await entra.get("/Users?count=1")).status).toBe(200);
    expect((await entra.get(`/Users/${userId}`)).status).toBe(200);
    expect((await entra.get("/Groups?count=1")).status).toBe(200);
  });

  it("ENT-01: answers a request without Authorization by 401 with a SCIM error", async () => {
    const response = await rawRequest("GET", `${entra.baseUrl}/Users`, {});
    expectScimError(response, 401);
  });

  it("ENT-01: answers an Entra-issued JWT (the blank Secret Token test mode) by 401, since Muster only trusts its own tokens", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT" })).toString("base64url");
    const claims = Buffer.from(JSON.stringify({ iss: `https://sts.windows.net/${randomGuid()}/`, aud: "8adf8e6e-67b2-4cf2-a259-e3dc5476c621" })).toString("base64url");
    const response = await entra.withToken(`${header}.${claims}.c2lnbmF0dXJl`).get("/Users");
    expectScimError(response, 401);
  });

  it("ENT-01: answers a wrong token on a write by 401 and writes nothing", async () => {
    const response = await entra.withToken("mst_wrong_token").send("POST", "/Users", entraUserBody("intruder@contoso.example"));
    expectScimError(response, 401);
    expectList(await entra.filter("Users", 'userName eq "intruder@contoso.example"'), 0);
  });

  it("ENT-01: answers an unknown path under the Tenant URL by 404 with a SCIM error, not HTML", async () => {
    const response = await entra.get("/Userz");
    expectScimError(response, 404);
  });
});

describe("headers Entra sends and omits (ENT-03)", () => {
  it("ENT-03: accepts a POST body in application/scim+json; charset=utf-8 without Accept or User-Agent and answers 201 SCIM JSON", async () => {
    expect(entraProfile.contentType).toBe("application/scim+json; charset=utf-8");
    expect(entraProfile.headers).toEqual({});
    const created = expectCreated(await entra.send("POST", "/Users", entraUserBody("kim.lee@contoso.example")));
    expect(created.userName).toBe("kim.lee@contoso.example");
  });

  it("ENT-03: answers Accept: */* and Accept: application/json with 200 SCIM JSON, never 406", async () => {
    for (const accept of ["*/*", "application/json", "text/html"]) {
      const response = await entra.get(`/Users/${userId}`, { accept });
      expect(response.status, accept).toBe(200);
      expect(response.headers["content-type"]).toBe(scimContentType);
      expect(response.body.id).toBe(userId);
    }
  });

  it("ENT-03: ignores the ADSCIMVersion header of older customappsso jobs", async () => {
    const response = await entra.get(`/Users?filter=externalId+eq+%22alex.ng%22`, { adscimversion: "2.0" });
    expect(expectList(response, 1)[0].id).toBe(userId);
  });

  it("ENT-03: keeps non-ASCII values intact in a UTF-8 body", async () => {
    const created = expectCreated(await entra.send("POST", "/Users", entraUserBody("zoe.muller@contoso.example", { displayName: "Zoë Müller-Łukasz 山田" })));
    const fetched = await entra.get(`/Users/${created.id}`);
    expect(fetched.body.displayName).toBe("Zoë Müller-Łukasz 山田");
  });
});
