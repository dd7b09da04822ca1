import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { Urn } from "../../src/scim/urns.js";
import { enterprisePath, entraGroupBody, entraUserBody, memberIds } from "./support/entra-requests.js";
import { entraProfile, patchOp, randomGuid, type IdpClient } from "./support/idp-clients.js";
import { startIdpHarness, type IdpHarness } from "./support/idp-server.js";
import { rawRequest, type RawResponse } from "./support/raw-client.js";
import { expectCreated, expectList, expectScimError, nullPaths, scimContentType } from "./support/scim-expect.js";

/** Microsoft Entra ID service expectations: error classification, rate, discovery, gallery checklist (COMPATIBILITY.md §1.7–1.8). */

let harness: IdpHarness;
let entra: IdpClient;

beforeAll(async () => {
  harness = await startIdpHarness();
  entra = await harness.tenant("contoso", entraProfile);
});
afterAll(() => harness.close());

interface ErrorCase {
  readonly name: string;
  readonly status: number;
  readonly scimType?: string;
  /** Sends the request; runs against a tenant that has a user alex.ng@contoso.example. */
  readonly send: (client: IdpClient, userId: string) => Promise<RawResponse>;
  /** Text the detail must contain to point the administrator at the problem. */
  readonly mentions: (userId: string) => string;
}

/** Sends a body as given, with the client's token and this Content-Type. */
function sendText(client: IdpClient, method: string, path: string, text: string, contentType: string): Promise<RawResponse> {
  return rawRequest(method, `${client.baseUrl}${path}`, { authorization: `Bearer ${client.token}`, "content-type": contentType }, text);
}

const errorCases: readonly ErrorCase[] = [
  { name: "404 for GET /Users/{id} of an unknown id (InvalidAnchor)", status: 404, send: (c) => c.get("/Users/5171a35d82074e068ce2"), mentions: () => "5171a35d82074e068ce2" },
  { name: "404 for PATCH of an unknown id", status: 404, send: (c) => c.send("PATCH", "/Users/5171a35d82074e068ce2", patchOp({ op: "Replace", path: "active", value: "False" })), mentions: () => "5171a35d82074e068ce2" },
  { name: "409 uniqueness for a duplicate create (EntryConflict)", status: 409, scimType: "uniqueness", send: (c) => c.send("POST", "/Users", entraUserBody("ALEX.NG@contoso.example")), mentions: () => "ALEX.NG@contoso.example" },
  { name: "401 for a wrong token (quarantine)", status: 401, send: (c) => c.withToken("mst_expired").get("/Users"), mentions: () => "token" },
  { name: "405 for a method the endpoint lacks (MethodNotAllowed)", status: 405, send: (c) => c.send("DELETE", "/Users"), mentions: () => "DELETE" },
  { name: "400 invalidFilter for a filter Muster cannot parse", status: 400, scimType: "invalidFilter", send: (c) => c.get("/Users?filter=userName+qq+%22x%22"), mentions: () => "qq" },
  { name: "400 invalidPath for an unknown target attribute (SchemaAttributeNotFound)", status: 400, scimType: "invalidPath", send: (c, id) => c.send("PATCH", `/Users/${id}`, patchOp({ op: "Add", path: "favoriteColor", value: "blue" })), mentions: () => "favoriteColor" },
  { name: "400 invalidValue for an unknown attribute in a body", status: 400, scimType: "invalidValue", send: (c) => c.send("POST", "/Users", entraUserBody("new@contoso.example", { favoriteColor: "blue" })), mentions: () => "favoriteColor" },
  { name: "400 noTarget for a remove without a path", status: 400, scimType: "noTarget", send: (c, id) => c.send("PATCH", `/Users/${id}`, patchOp({ op: "Remove" })), mentions: () => "path" },
  { name: "400 mutability for a change to the id", status: 400, scimType: "mutability", send: (c, id) => c.send("PATCH", `/Users/${id}`, patchOp({ op: "Replace", path: "id", value: "other" })), mentions: () => "id" },
  { name: "400 invalidSyntax for a body that is not valid JSON", status: 400, scimType: "invalidSyntax", send: (c, id) => sendText(c, "PATCH", `/Users/${id}`, '{"Operations": [', entraProfile.contentType), mentions: () => "JSON" },
  { name: "412 for an If-Match that is not the current version", status: 412, send: (c, id) => c.send("PATCH", `/Users/${id}`, patchOp({ op: "Replace", path: "title", value: "x" }), { "if-match": 'W/"999"' }), mentions: () => "999" },
  { name: "415 for a body that is not JSON by type", status: 415, send: (c) => sendText(c, "POST", "/Users", "<user><userName>xml@contoso.example</userName></user>", "application/xml"), mentions: () => "application/xml" },
  { name: "501 for /Me (NotImplemented)", status: 501, send: (c) => c.get("/Me"), mentions: () => "/Me" },
];

describe("status codes Entra classifies (ENT-70)", () => {
  let userId: string;
  beforeAll(async () => {
    userId = expectCreated(await entra.send("POST", "/Users", entraUserBody("alex.ng@contoso.example"))).id;
  });

  for (const errorCase of errorCases) {
    it(`ENT-70: answers ${errorCase.name} as a SCIM error with a string status and a detail naming the problem`, async () => {
      const response = await errorCase.send(entra, userId);
      const detail = expectScimError(response, errorCase.status, errorCase.scimType);
      expect(detail).toContain(errorCase.mentions(userId));
    });
  }

  it("ENT-70: answers a match filter with no hit by 200 and an empty list, never 404", async () => {
    expect(expectList(await entra.filter("Users", 'userName eq "nobody@contoso.example"'), 0)).toEqual([]);
    expect(expectList(await entra.filter("Groups", 'displayName eq "Nobody"', "excludedAttributes=members"), 0)).toEqual([]);
  });

  it("ENT-70: a rejected request writes nothing: the user is unchanged after every 4xx above", async () => {
    const [user] = expectList(await entra.filter("Users", 'userName eq "alex.ng@contoso.example"'), 1);
    expect(user).toMatchObject({ id: userId, active: true });
    expect(user).not.toHaveProperty("title");
    expect(user).not.toHaveProperty("favoriteColor");
    expectList(await entra.filter("Users", 'userName eq "new@contoso.example" or userName eq "xml@contoso.example"'), 0);
  });

  it("ENT-70: answers an internal failure by a SCIM 500 (InternalServerError, retried later) whose detail carries the request id", async () => {
    const broken = await startIdpHarness();
    try {
      const client = await broken.tenant("broken", entraProfile);
      expect((await client.get("/Users?count=0")).status).toBe(200);
      await broken.server.store.close();
      const response = await client.get("/Users", { "x-request-id": "entra-500" });
      expect(expectScimError(response, 500)).toContain("entra-500");
    } finally {
      // Closing flushes token last-used times to the store, which this test closed on purpose; the database is removed all the same.
      await broken.close().catch(() => undefined);
    }
  });
});

describe("rate limits (ENT-71)", () => {
  it("ENT-71: answers the request beyond the per-token limit with 429, Retry-After in seconds and a SCIM error, and writes nothing", async () => {
    const limited = await startIdpHarness({ rateLimitPerMinute: 5 });
    try {
      const client = await limited.tenant("limited", entraProfile);
      for (let i = 0; i < 5; i++) expect((await client.filter("Users", `userName eq "${randomGuid()}"`)).status).toBe(200);
      const response = await client.send("POST", "/Users", entraUserBody("throttled@contoso.example"));
      expect(expectScimError(response, 429)).toContain("retry");
      const retryAfter = response.headers["retry-after"];
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
      const other = await limited.tenant("unlimited", entraProfile);
      expectList(await other.filter("Users", 'userName eq "throttled@contoso.example"'), 0);
    } finally {
      await limited.close();
    }
  });

  it("ENT-71, ENT-81: the default limit leaves room for 25 requests a second from one token, and the server sustains that rate", async () => {
    const { rateLimitPerMinute } = loadConfig({}, {});
    expect(rateLimitPerMinute).toBeGreaterThanOrEqual(25 * 60);
    const busy = await startIdpHarness({ rateLimitPerMinute });
    try {
      const client = await busy.tenant("busy", entraProfile);
      const started = Date.now();
      const statuses: number[] = [];
      // 300 requests is twelve seconds of traffic at 25/s: Entra's match, create and update for 100 users, 25 at a time.
      for (let batch = 0; batch < 4; batch++) {
        const rounds = Array.from({ length: 25 }, async (_, i) => {
          const userName = `load${batch * 25 + i}@contoso.example`;
          const match = await client.filter("Users", `userName eq "${userName}"`);
          const created = await client.send("POST", "/Users", entraUserBody(userName));
          const updated = await client.send("PATCH", `/Users/${created.body.id}`, patchOp({ op: "Replace", path: "title", value: "Loaded" }));
          statuses.push(match.status, created.status, updated.status);
          expect(updated.headers["x-ratelimit-limit"]).toBe(String(rateLimitPerMinute));
        });
        await Promise.all(rounds);
      }
      const seconds = (Date.now() - started) / 1000;
      expect(statuses.filter((status) => status >= 300)).toEqual([]);
      expect(statuses).toHaveLength(300);
      expect(300 / seconds).toBeGreaterThan(25);
      expect((await client.get("/Users?filter=title+eq+%22Loaded%22&count=0")).body.totalResults).toBe(100);
    } finally {
      await busy.close();
    }
  });
});

describe("parallel requests (ENT-71)", () => {
  it("ENT-71: applies 25 concurrent single-member adds to one group without losing any", async () => {
    const group = expectCreated(await entra.send("POST", "/Groups", entraGroupBody("Parallel Group", randomGuid()))).id;
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push(expectCreated(await entra.send("POST", "/Users", entraUserBody(`parallel${i}@contoso.example`))).id);
    const responses = await Promise.all(ids.map((id) => entra.send("PATCH", `/Groups/${group}`, patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: id }] }))));
    expect(responses.map((response) => response.status)).toEqual(ids.map(() => 204));
    expect(await memberIds(entra, group)).toEqual([...ids].sort());
  });

  it("ENT-71, ENT-22: answers 10 concurrent creates of one userName with one 201 and 409 uniqueness for the rest", async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => entra.send("POST", "/Users", entraUserBody(i % 2 ? "RACE@contoso.example" : "race@contoso.example"))));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array.from({ length: 9 }, () => 409)]);
    for (const response of responses.filter((r) => r.status === 409)) expect(response.body.scimType).toBe("uniqueness");
    expectList(await entra.filter("Users", 'userName eq "race@contoso.example"'), 1);
  });
});

describe("schema discovery (ENT-80)", () => {
  it("ENT-80: answers GET /Schemas with a ListResponse of User, Group and EnterpriseUser, and no null anywhere", async () => {
    const response = await entra.get("/Schemas");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(scimContentType);
    expect(response.body).toMatchObject({ schemas: [Urn.ListResponse], totalResults: 3, startIndex: 1, itemsPerPage: 3 });
    expect(response.body.Resources.map((schema: { id: string }) => schema.id).sort()).toEqual([Urn.Group, Urn.User, Urn.EnterpriseUser].sort());
    expect(nullPaths(response.body)).toEqual([]);
  });

  it("ENT-80: describes every attribute with camelCase characteristics Entra reads", async () => {
    const resources = (await entra.get("/Schemas")).body.Resources as Array<{ attributes: any[] }>;
    const all = resources.flatMap((schema) => schema.attributes.flatMap((attribute) => [attribute, ...(attribute.subAttributes ?? [])]));
    expect(all.length).toBeGreaterThan(40);
    for (const attribute of all) {
      expect(attribute, attribute.name).toMatchObject({ name: expect.any(String), type: expect.any(String), multiValued: expect.any(Boolean), required: expect.any(Boolean), caseExact: expect.any(Boolean) });
      expect(["string", "boolean", "decimal", "integer", "dateTime", "binary", "reference", "complex"]).toContain(attribute.type);
      expect(["readOnly", "readWrite", "immutable", "writeOnly"]).toContain(attribute.mutability);
      expect(["always", "never", "default", "request"]).toContain(attribute.returned);
      expect(["none", "server", "global"]).toContain(attribute.uniqueness);
    }
  });

  it("ENT-80: lists the attributes of Entra's default mapping, and answers each schema by its URN", async () => {
    const user = (await entra.get(`/Schemas/${Urn.User}`)).body;
    const names = user.attributes.map((attribute: { name: string }) => attribute.name);
    expect(names).toEqual(expect.arrayContaining(["userName", "active", "displayName", "emails", "name", "addresses", "phoneNumbers", "title", "preferredLanguage"]));
    const enterprise = (await entra.get(`/Schemas/${Urn.EnterpriseUser}`)).body;
    expect(enterprise.attributes.map((attribute: { name: string }) => attribute.name)).toEqual(expect.arrayContaining(["employeeNumber", "department", "manager"]));
    expect(nullPaths(enterprise)).toEqual([]);
  });

  it("ENT-80: refuses writes to /Schemas with 405", async () => {
    expectScimError(await entra.send("POST", "/Schemas", { schemas: [Urn.Schema] }), 405);
  });
});

describe("gallery checklist and general expectations (ENT-81, ENT-82)", () => {
  it("ENT-81: serves both the user and the group endpoints and states PATCH and filter support in ServiceProviderConfig", async () => {
    const config = (await entra.get("/ServiceProviderConfig")).body;
    expect(config).toMatchObject({ patch: { supported: true }, filter: { supported: true } });
    expect(config.authenticationSchemes[0].type).toBe("oauthbearertoken");
    const types = (await entra.get("/ResourceTypes")).body.Resources.map((type: { endpoint: string }) => type.endpoint).sort();
    expect(types).toEqual(["/Groups", "/Users"]);
  });

  it("ENT-81: updates many group memberships with a single PATCH: 100 added in one operation, 50 removed in the next", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(expectCreated(await entra.send("POST", "/Users", entraUserBody(`bulk${i}@contoso.example`))).id);
    const group = expectCreated(await entra.send("POST", "/Groups", entraGroupBody("Big Group", randomGuid()))).id;
    expect((await entra.send("PATCH", `/Groups/${group}`, patchOp({ op: "Add", path: "members", value: ids.map((value) => ({ $ref: null, value })) }))).status).toBe(204);
    expect(await memberIds(entra, group)).toEqual([...ids].sort());
    const leaving = ids.filter((_, index) => index % 2 === 0);
    expect((await entra.send("PATCH", `/Groups/${group}`, patchOp({ op: "Remove", path: "members", value: leaving.map((value) => ({ value })) }))).status).toBe(204);
    expect(await memberIds(entra, group)).toEqual(ids.filter((_, index) => index % 2 === 1).sort());
  });

  it("ENT-82: creates a user from only userName, answering with id, userName and meta", async () => {
    const created = expectCreated(await entra.send("POST", "/Users", { schemas: [Urn.User], userName: "minimal@contoso.example" }));
    expect(Object.keys(created).sort()).toEqual(["id", "meta", "schemas", "userName"]);
  });

  it("ENT-82: answers every query with a ListResponse whose resources each carry an id, even a query by id", async () => {
    const created = expectCreated(await entra.send("POST", "/Users", entraUserBody("listed@contoso.example")));
    const [byId] = expectList(await entra.filter("Users", `id eq "${created.id}"`), 1);
    expect(byId.id).toBe(created.id);
    const page = await entra.get("/Users?startIndex=1&count=50");
    expect(page.body.schemas).toEqual([Urn.ListResponse]);
    expect(page.body.Resources.length).toBeGreaterThan(1);
    expect(page.body.Resources.every((resource: { id?: unknown }) => typeof resource.id === "string")).toBe(true);
    const projected = expectList(await entra.filter("Users", `id eq "${created.id}"`, "attributes=userName"), 1);
    expect(projected[0].id).toBe(created.id);
  });

  it("ENT-82: answers every kind of request Entra sends in application/scim+json", async () => {
    const created = await entra.send("POST", "/Users", entraUserBody("typed@contoso.example"));
    const group = await entra.send("POST", "/Groups", entraGroupBody("Typed Group", randomGuid()));
    const responses = [
      created,
      group,
      await entra.get(`/Users/${created.body.id}`),
      await entra.filter("Users", 'userName eq "typed@contoso.example"'),
      await entra.send("PATCH", `/Users/${created.body.id}`, patchOp({ op: "Replace", path: enterprisePath("department"), value: "Ops" })),
      await entra.get(`/Groups/${group.body.id}?excludedAttributes=members`),
      await entra.get("/Schemas"),
      await entra.get("/ServiceProviderConfig"),
      await entra.get(`/Users/${randomGuid()}`),
    ];
    for (const response of responses) expect(response.headers["content-type"]).toBe(scimContentType);
  });
});
