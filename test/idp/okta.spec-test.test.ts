import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oktaProfile, patchOp, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { readTenantState } from "./support/tenant-state.js";
import {
  coreUser,
  errorMessage,
  listResponse,
  oktaCreateUserBody,
  oktaFindUser,
  oktaProvisionUser,
  oktaUserId,
  runscopeGetHeaders,
  runscopePostProfile,
} from "./support/okta-requests.js";
import { rawRequest, type RawResponse } from "./support/raw-client.js";

/**
 * Okta's "SCIM 2.0 SPEC Test" (Runscope, now BlazeMeter) replayed in order with the requests, headers
 * and assertions of its exports: the current one (OKTA-SPEC17/SPEC24, with the 401 and 404 tests) and
 * the 2016 one (OKTA-SPEC16, with the discovery tests and a malformed test 9). COMPATIBILITY.md §2.5.
 */

let harness: IdpHarness;

beforeAll(async () => {
  harness = await startIdpHarness();
});
afterAll(() => harness.close());

/** A spec-test GET: Runscope's headers (a Content-Type without a body included) and the response time it asserts. */
async function runscopeGet(client: IdpClient, path: string, authorization = `Bearer ${client.token}`): Promise<RawResponse & { millis: number }> {
  const started = performance.now();
  const response = await rawRequest("GET", `${client.baseUrl}${path}`, { ...runscopeGetHeaders, authorization });
  return { ...response, millis: performance.now() - started };
}

/** A spec-test POST with the given headers and raw body text. */
async function runscopePost(client: IdpClient, path: string, headers: Record<string, string>, body: string): Promise<RawResponse & { millis: number }> {
  const started = performance.now();
  const response = await rawRequest("POST", `${client.baseUrl}${path}`, { authorization: `Bearer ${client.token}`, ...headers }, body);
  return { ...response, millis: performance.now() - started };
}

/** The spec test's `filter=userName eq "…"` URL, with the spaces and quotes percent-encoded as Runscope sends them. */
function userNameFilter(userName: string): string {
  return `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
}

/** The variables the admin fills in before running the test (OKTA-PREP). */
function specVariables() {
  const tag = randomBytes(5).toString("hex");
  const randomUsername = `Runscope${tag}Abcdefghi${Date.now() % 1000}@example.com`;
  return {
    randomUsername,
    randomEmail: randomUsername,
    randomUsernameCaps: randomUsername.toUpperCase(),
    randomGivenName: `Given${tag}`,
    randomFamilyName: `Family${tag}`,
    InvalidUserEmail: `invalid-${tag}@example.com`,
    UserIdThatDoesNotExist: `010101001010101010${tag}`,
  };
}

/** The create body of test 6 (and test 8, whose email is the userName), as the export's body template. */
function createBody(v: ReturnType<typeof specVariables>, email: string): string {
  return JSON.stringify({
    schemas: [coreUser],
    userName: v.randomUsername,
    name: { givenName: v.randomGivenName, familyName: v.randomFamilyName },
    emails: [{ primary: true, value: email, type: "work" }],
    displayName: `${v.randomGivenName} ${v.randomFamilyName}`,
    active: true,
  });
}

function expectScimError(response: RawResponse, status: string): void {
  expect(response.body.schemas).toContain(errorMessage);
  expect(response.body.status).toBe(status);
  expect(typeof response.body.detail).toBe("string");
  expect(response.body.detail.length).toBeGreaterThan(0);
}

describe("OKT-30: Okta SCIM 2.0 SPEC Test, current export, in order", () => {
  const v = specVariables();
  let client: IdpClient;
  let isvUserId = "";
  let idUserOne = "";

  beforeAll(async () => {
    client = await harness.tenant("okta-spec-current", oktaProfile);
    // Prerequisite (OKTA-PREP): one user with givenName, familyName, userName, active and an email.
    await oktaProvisionUser(client, { userName: "existing.user@example.org", givenName: "Existing", familyName: "User" });
  });

  it("OKT-30 test 1 (Test Users endpoint): GET /Users?count=1&startIndex=1 returns one complete user with numeric paging fields", async () => {
    const response = await runscopeGet(client, "/Users?count=1&startIndex=1");
    expect(response.status).toBe(200);
    expect(response.millis).toBeLessThan(600);
    expect(response.body.Resources.length).toBeGreaterThan(0);
    expect(response.body.schemas).toContain(listResponse);
    for (const field of ["itemsPerPage", "startIndex", "totalResults"]) expect(typeof response.body[field]).toBe("number");
    const first = response.body.Resources[0];
    for (const value of [first.id, first.name.familyName, first.name.givenName, first.userName, first.emails[0].value]) expect(value).toBeTruthy();
    expect(first.active).toBe(true);
    isvUserId = first.id;
  });

  it("OKT-30 test 2 (Get Users/{{id}}): GET /Users/{id} returns the same user", async () => {
    const response = await runscopeGet(client, `/Users/${isvUserId}`);
    expect(response.status).toBe(200);
    expect(response.millis).toBeLessThan(600);
    expect(response.body).toMatchObject({ id: isvUserId, userName: "existing.user@example.org", name: { familyName: "User", givenName: "Existing" }, active: true });
    expect(response.body.emails[0].value).toBe("existing.user@example.org");
  });

  it("OKT-30 test 3 (Test invalid User by username): a filter for an unknown userName returns an empty ListResponse", async () => {
    const response = await runscopeGet(client, userNameFilter(v.InvalidUserEmail));
    expect(response.status).toBe(200);
    expect(response.body.schemas).toContain(listResponse);
    expect(response.body.totalResults).toBe(0);
  });

  it("OKT-30 test 4 (Test invalid User by ID): GET /Users/{unknown id} is a SCIM 404 with a detail", async () => {
    const response = await runscopeGet(client, `/Users/${v.UserIdThatDoesNotExist}`);
    expect(response.status).toBe(404);
    expect(response.millis).toBeLessThan(600);
    expectScimError(response, "404");
  });

  it("OKT-30 test 5 (Make sure random user doesn't exist): the random userName is not taken", async () => {
    const response = await runscopeGet(client, userNameFilter(v.randomEmail));
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(0);
    expect(response.body.schemas).toContain(listResponse);
  });

  it("OKT-30 test 6 (Create Okta user with realistic values): POST with application/json answers 201 with the user", async () => {
    const response = await runscopePost(client, "/Users", { ...runscopePostProfile.headers, "content-type": runscopePostProfile.contentType }, createBody(v, v.randomEmail));
    expect(response.status).toBe(201);
    expect(response.millis).toBeLessThan(600);
    expect(response.body.active).toBe(true);
    expect(response.body.id).toBeTruthy();
    expect(response.body.name).toEqual({ givenName: v.randomGivenName, familyName: v.randomFamilyName });
    expect(response.body.schemas).toContain(coreUser);
    expect(response.body.userName).toBe(v.randomUsername);
    expect(response.body.emails[0].value).toBe(v.randomEmail);
    idUserOne = response.body.id;
  });

  it("OKT-30 test 7 (Verify that user was created): GET /Users/{new id} returns what was posted", async () => {
    const response = await runscopeGet(client, `/Users/${idUserOne}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ userName: v.randomUsername, name: { familyName: v.randomFamilyName, givenName: v.randomGivenName } });
  });

  it("OKT-30 test 8 (Expect failure when recreating user with same values): the same POST again is 409", async () => {
    const response = await runscopePost(client, "/Users", { ...runscopePostProfile.headers, "content-type": runscopePostProfile.contentType }, createBody(v, v.randomUsername));
    expect(response.status).toBe(409);
    expectScimError(response, "409");
    expect(response.body.scimType).toBe("uniqueness");
  });

  it("OKT-30 test 9 (Username Case Sensitivity Check): the upper-cased userName answers 200 and finds the user", async () => {
    const response = await runscopeGet(client, userNameFilter(v.randomUsernameCaps));
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(1);
    expect(response.body.Resources[0].id).toBe(idUserOne);
  });

  it("OKT-30 optional test (Verify Groups endpoint): GET /Groups answers 200 with no groups yet", async () => {
    const response = await runscopeGet(client, "/Groups");
    expect(response.status).toBe(200);
    expect(response.millis).toBeLessThan(600);
    expect(response.body.totalResults).toBe(0);
    expect(Array.isArray(response.body.Resources)).toBe(true);
  });

  it("OKT-30 test 10 (Check status 401): Authorization: non-token is a SCIM 401 whose status is \"401\" with a detail", async () => {
    const response = await runscopeGet(client, userNameFilter(v.randomUsernameCaps), "non-token");
    expect(response.status).toBe(401);
    expectScimError(response, "401");
  });

  it("OKT-30 test 11 (Check status 404): GET /Users/00919288221112222 is a SCIM 404 whose status is \"404\" with a detail", async () => {
    const response = await runscopeGet(client, "/Users/00919288221112222");
    expect(response.status).toBe(404);
    expectScimError(response, "404");
  });

  it("OKT-30: the run leaves exactly the prerequisite user and the user of test 6", async () => {
    const state = await readTenantState(client);
    expect(Object.keys(state.users).sort()).toEqual(["existing.user@example.org", v.randomUsername].sort());
    expect(state.users[v.randomUsername]).toMatchObject({ active: true, displayName: `${v.randomGivenName} ${v.randomFamilyName}` });
    expect(state.groups).toEqual({});
  });
});

describe("OKT-30, OKT-31: Okta SCIM 2.0 SPEC Test, 2016 export with the optional discovery tests, in order", () => {
  const v = specVariables();
  let client: IdpClient;
  let idUserOne = "";

  beforeAll(async () => {
    client = await harness.tenant("okta-spec-2016", oktaProfile);
    await oktaProvisionUser(client, { userName: "existing.user@example.org", givenName: "Existing", familyName: "User" });
    // The 2016 export's groups check asserts that Resources is an array with at least one group.
    await client.send("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Everyone", members: [] });
  });

  it("OKT-31 (Test ServiceProviderConfig endpoint): GET /ServiceProviderConfig states every capability the test reads", async () => {
    const response = await runscopeGet(client, "/ServiceProviderConfig");
    expect(response.status).toBe(200);
    expect(response.millis).toBeLessThan(400);
    const spc = response.body;
    expect(spc.schemas).toContain("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
    for (const value of [
      spc.patch.supported,
      spc.bulk.supported,
      spc.bulk.maxOperations,
      spc.bulk.maxPayloadSize,
      spc.filter.supported,
      spc.filter.maxResults,
      spc.changePassword.supported,
      spc.sort.supported,
      spc.etag.supported,
      spc.authenticationSchemes[0].type,
      spc.authenticationSchemes[0].description,
    ]) {
      expect(value === undefined || value === null || value === "").toBe(false);
    }
    expect(spc.patch.supported).toBe(true);
    expect(spc.filter.supported).toBe(true);
  });

  it.each(["/ServiceProviderConfig", "/ResourceTypes", "/Schemas"])("OKT-31 (Check if %s is read-only): POST with Runscope's non-JSON body is 405", async (path) => {
    // The export posts the text "test" (with CRLFs for ServiceProviderConfig) labelled as SCIM JSON.
    const body = path === "/ServiceProviderConfig" ? "test\r\n\r\n" : "test";
    const response = await runscopePost(client, path, { "accept-charset": "utf-8", "content-type": "application/scim+json; charset=utf-8", accept: "application/scim+json" }, body);
    expect(response.status).toBe(405);
    expectScimError(response, "405");
    expect(response.headers.allow).toBe("GET, HEAD");
  });

  it("OKT-31: a POST to a discovery endpoint without a valid token is still 401, not 405", async () => {
    const response = await rawRequest("POST", `${client.baseUrl}/Schemas`, { "content-type": "application/scim+json; charset=utf-8", authorization: "non-token" }, "test");
    expect(response.status).toBe(401);
    expectScimError(response, "401");
  });

  it("OKT-31 (Check ResourceTypes endpoint): GET /ResourceTypes lists resource types with name, endpoint and schema", async () => {
    const response = await runscopeGet(client, "/ResourceTypes");
    expect(response.status).toBe(200);
    expect(response.millis).toBeLessThan(400);
    expect(response.body.schemas).toContain(listResponse);
    expect(response.body.Resources.length).toBeGreaterThan(0);
    const [first] = response.body.Resources;
    expect(first.name).toBeTruthy();
    expect(first.endpoint).toBeTruthy();
    expect(first.schema).toBeTruthy();
  });

  it("OKT-31 (Check Schemas endpoint): GET /Schemas lists schemas with id and attributes", async () => {
    const response = await runscopeGet(client, "/Schemas");
    expect(response.status).toBe(200);
    expect(response.millis).toBeLessThan(400);
    expect(response.body.schemas).toContain(listResponse);
    expect(response.body.Resources.length).toBeGreaterThan(0);
    expect(response.body.Resources[0].id).toBeTruthy();
    expect(response.body.Resources[0].attributes.length).toBeGreaterThan(0);
  });

  it("OKT-30 tests 1-5 (2016): the users endpoint, a user by id, and the unknown-user probes", async () => {
    const list = await runscopeGet(client, "/Users?count=1&startIndex=1");
    expect(list.status).toBe(200);
    expect(list.body.itemsPerPage).toBe(1);
    // The 2016 export reads Resources[0].emails.value: emails must be an array of objects with value.
    expect(list.body.Resources[0].emails.map((email: { value: string }) => email.value)).toEqual(["existing.user@example.org"]);
    const byId = await runscopeGet(client, `/Users/${list.body.Resources[0].id}`);
    expect(byId.status).toBe(200);
    expect(byId.body.id).toBe(list.body.Resources[0].id);
    const invalid = await runscopeGet(client, userNameFilter(v.InvalidUserEmail));
    expect(invalid.body).toMatchObject({ totalResults: 0 });
    const missing = await runscopeGet(client, `/Users/${v.UserIdThatDoesNotExist}`);
    expect(missing.status).toBe(404);
    expectScimError(missing, "404");
    expect((await runscopeGet(client, userNameFilter(v.randomEmail))).body.totalResults).toBe(0);
  });

  it("OKT-30 test 6 (2016): POST without any Content-Type answers 201 with the user", async () => {
    const response = await runscopePost(client, "/Users", { accept: "application/scim+json; charset=utf-8" }, createBody(v, v.randomEmail));
    expect(response.status).toBe(201);
    expect(response.millis).toBeLessThan(600);
    expect(response.body).toMatchObject({ active: true, userName: v.randomUsername, name: { givenName: v.randomGivenName, familyName: v.randomFamilyName } });
    idUserOne = response.body.id;
  });

  it("OKT-30 tests 7-8 (2016): the user reads back and a second POST without Content-Type is 409", async () => {
    const fetched = await runscopeGet(client, `/Users/${idUserOne}`);
    expect(fetched.body).toMatchObject({ userName: v.randomUsername, name: { familyName: v.randomFamilyName } });
    const again = await runscopePost(client, "/Users", { accept: "application/scim+json; charset=utf-8" }, createBody(v, v.randomEmail));
    expect(again.status).toBe(409);
  });

  it("OKT-30 test 9 (2016): a bare value as the filter is 400 invalidFilter", async () => {
    const response = await runscopeGet(client, `/Users?filter=${v.randomUsernameCaps}`);
    expect(response.status).toBe(400);
    expect(response.millis).toBeLessThan(600);
    expectScimError(response, "400");
    expect(response.body.scimType).toBe("invalidFilter");
  });

  it("OKT-30 optional test (2016 Verify Groups endpoint): GET /Groups returns Resources as an array of at least one group", async () => {
    const response = await runscopeGet(client, "/Groups");
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBeGreaterThanOrEqual(1);
    expect(Array.isArray(response.body.Resources)).toBe(true);
    expect(response.body.Resources[0].displayName).toBe("Everyone");
  });

  it("OKT-31: the read-only probes changed nothing", async () => {
    const state = await readTenantState(client);
    expect(Object.keys(state.users).sort()).toEqual(["existing.user@example.org", v.randomUsername].sort());
    expect(Object.keys(state.groups)).toEqual(["Everyone"]);
  });
});

/** One step of Okta's CRUD test plan as each app kind sends it. */
interface AppKind {
  readonly name: string;
  /** Sets active the way the app kind does: OIN by path-less PATCH (OKT-15), AIW by GET + PUT (OKT-14). */
  setActive(client: IdpClient, id: string, active: boolean): Promise<RawResponse>;
}

const oin: AppKind = {
  name: "an OIN app (PATCH)",
  setActive: (client, id, active) => client.send("PATCH", `/Users/${id}`, patchOp({ op: "replace", value: { active } })),
};

const aiw: AppKind = {
  name: "an App Integration Wizard app (PUT)",
  async setActive(client, id, active) {
    const current = (await client.get(`/Users/${id}`)).body;
    return client.send("PUT", `/Users/${id}`, { ...current, active });
  },
};

for (const kind of [oin, aiw]) {
  describe(`OKT-32: Okta's CRUD test plan for ${kind.name}, state checked after each step`, () => {
    let client: IdpClient;
    let userId = "";
    const userName = `crud.${kind === oin ? "oin" : "aiw"}@example.org`;
    const oktaId = oktaUserId();

    beforeAll(async () => {
      client = await harness.tenant(`okta-crud-${kind === oin ? "oin" : "aiw"}`, oktaProfile);
      // Another user that no step may touch.
      await oktaProvisionUser(client, { userName: "bystander@example.org", givenName: "By", familyName: "Stander" });
    });

    async function expectUser(expected: Record<string, unknown>): Promise<void> {
      const byId = await client.get(`/Users/${userId}`);
      expect(byId.status).toBe(200);
      expect(byId.body).toMatchObject(expected);
      const byName = await oktaFindUser(client, userName);
      expect(byName.body.totalResults).toBe(1);
      expect(byName.body.Resources[0]).toMatchObject({ id: userId, ...expected });
      const state = await readTenantState(client);
      expect(Object.keys(state.users).sort()).toEqual(["bystander@example.org", userName]);
      expect(state.users["bystander@example.org"]).toMatchObject({ active: true, name: { givenName: "By", familyName: "Stander" } });
    }

    it("OKT-32 step 1: assigning the user checks for it and creates it", async () => {
      expect((await oktaFindUser(client, userName)).body.totalResults).toBe(0);
      const created = await client.send("POST", "/Users", oktaCreateUserBody({ userName, givenName: "Crud", familyName: "Tester", oktaId }));
      expect(created.status).toBe(201);
      userId = created.body.id;
      await expectUser({ userName, externalId: oktaId, active: true, name: { givenName: "Crud", familyName: "Tester" } });
    });

    it("OKT-32 step 2: updating firstName in Okta sends GET then a full PUT", async () => {
      const current = (await client.get(`/Users/${userId}`)).body;
      const response = await client.send("PUT", `/Users/${userId}`, { ...current, name: { ...current.name, givenName: "Cruddy" } });
      expect(response.status).toBe(200);
      await expectUser({ active: true, name: { givenName: "Cruddy", familyName: "Tester" }, displayName: "Crud Tester" });
    });

    it("OKT-32 step 3: deactivating the user in Okta sets active false", async () => {
      expect((await kind.setActive(client, userId, false)).status).toBe(200);
      await expectUser({ active: false, name: { givenName: "Cruddy" } });
    });

    it("OKT-32 step 4: reactivating and reassigning finds the user and sets active true", async () => {
      const found = await oktaFindUser(client, userName);
      expect(found.body.Resources[0].id).toBe(userId);
      expect((await kind.setActive(client, userId, true)).status).toBe(200);
      await expectUser({ active: true, name: { givenName: "Cruddy" } });
    });

    it("OKT-32 step 5: unassigning the user deactivates it and never deletes it", async () => {
      expect((await kind.setActive(client, userId, false)).status).toBe(200);
      await expectUser({ active: false, externalId: oktaId, name: { givenName: "Cruddy", familyName: "Tester" } });
    });
  });
}
