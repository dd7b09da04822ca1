import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer, type TestTenant } from "../support/scim-server.js";

let server: TestServer;
let acme: TestTenant;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.addTenant("acme");
});
afterAll(() => server.close());

function containsNull(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== "object") return false;
  return Object.values(value as object).some(containsNull);
}

describe("discovery (RFC 7644 §4)", () => {
  it("states the features truthfully in ServiceProviderConfig (OKT-31, RFC-15, CUR-05)", async () => {
    const response = await acme.request("GET", "/ServiceProviderConfig");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: true },
      sort: { supported: true },
      etag: { supported: true },
      pagination: { cursor: true, index: true, defaultPaginationMethod: "index", defaultPageSize: 100, maxPageSize: 1000 },
    });
    expect(response.body.authenticationSchemes[0]).toMatchObject({ type: "oauthbearertoken", name: expect.any(String), description: expect.any(String) });
    expect(response.body.meta.location).toBe(`${acme.baseUrl}/ServiceProviderConfig`);
  });

  it("lists User with the enterprise extension and Group under /ResourceTypes", async () => {
    const list = await acme.request("GET", "/ResourceTypes");
    expect(list.body.totalResults).toBe(2);
    expect(list.body.Resources[0]).toMatchObject({
      id: "User",
      name: "User",
      endpoint: "/Users",
      schema: "urn:ietf:params:scim:schemas:core:2.0:User",
      schemaExtensions: [{ schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", required: false }],
    });
    const group = await acme.request("GET", "/ResourceTypes/Group");
    expect(group.body.endpoint).toBe("/Groups");
    expect((await acme.request("GET", "/ResourceTypes/Device")).status).toBe(404);
  });

  it("serves User, Group and EnterpriseUser schemas without null values (ENT-80)", async () => {
    const list = await acme.request("GET", "/Schemas");
    expect(list.status).toBe(200);
    expect(list.body.Resources.map((s: { id: string }) => s.id)).toEqual([
      "urn:ietf:params:scim:schemas:core:2.0:User",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      "urn:ietf:params:scim:schemas:core:2.0:Group",
    ]);
    expect(containsNull(list.body)).toBe(false);
    const user = await acme.request("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
    const userName = user.body.attributes.find((a: { name: string }) => a.name === "userName");
    expect(userName).toMatchObject({ type: "string", required: true, caseExact: false, mutability: "readWrite", uniqueness: "server" });
    const password = user.body.attributes.find((a: { name: string }) => a.name === "password");
    expect(password).toMatchObject({ mutability: "writeOnly", returned: "never" });
    expect((await acme.request("GET", "/Schemas/urn:nope")).status).toBe(404);
  });

  it("requires a token for discovery too", async () => {
    expect((await acme.request("GET", "/Schemas", { token: null })).status).toBe(401);
  });
});
