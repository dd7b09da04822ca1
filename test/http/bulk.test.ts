import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

let server: TestServer;
let acme: TestTenant;
const bulkSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.addTenant("acme");
});
afterAll(() => server.close());

describe("POST /Bulk (RFC 7644 §3.7)", () => {
  it("creates users and a group that references them by bulkId, in any order", async () => {
    const response = await acme.request("POST", "/Bulk", {
      body: {
        schemas: [bulkSchema],
        Operations: [
          { method: "POST", path: "/Groups", bulkId: "g1", data: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Bulk Group", members: [{ type: "User", value: "bulkId:u1" }, { value: "bulkId:u2" }] } },
          { method: "POST", path: "/Users", bulkId: "u1", data: userBody("bulk1@example.org") },
          { method: "POST", path: "/Users", bulkId: "u2", data: userBody("bulk2@example.org") },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:BulkResponse"]);
    const ops = response.body.Operations;
    expect(ops.map((op: { status: string }) => op.status)).toEqual(["201", "201", "201"]);
    expect(ops[1].location).toMatch(new RegExp(`^${acme.baseUrl}/Users/`));
    expect(ops[0].version).toMatch(/^W\//);
    const group = await acme.request("GET", ops[0].location.slice(acme.baseUrl.length));
    const userIds = [ops[1].location, ops[2].location].map((l: string) => l.split("/").pop());
    expect(group.body.members.map((m: { value: string }) => m.value).sort()).toEqual(userIds.sort());
  });

  it("reports each failure in its operation and stops after failOnErrors", async () => {
    const response = await acme.request("POST", "/Bulk", {
      body: {
        schemas: [bulkSchema],
        failOnErrors: 1,
        Operations: [
          { method: "POST", path: "/Users", bulkId: "dup", data: userBody("bulk1@example.org") },
          { method: "POST", path: "/Users", bulkId: "never", data: userBody("never@example.org") },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.Operations).toHaveLength(1);
    expect(response.body.Operations[0]).toMatchObject({ status: "409", response: { scimType: "uniqueness", status: "409" } });
    const never = await acme.request("GET", `/Users?filter=${encodeURIComponent('userName eq "never@example.org"')}`);
    expect(never.body.totalResults).toBe(0);
  });

  it("supports PUT, PATCH and DELETE with version preconditions", async () => {
    const user = (await acme.request("POST", "/Users", { body: userBody("bulkops@example.org") })).body;
    const response = await acme.request("POST", "/Bulk", {
      body: {
        schemas: [bulkSchema],
        Operations: [
          { method: "PATCH", path: `/Users/${user.id}`, version: user.meta.version, data: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: "Patched" }] } },
          { method: "PUT", path: `/Users/${user.id}`, version: user.meta.version, data: userBody("bulkops@example.org") },
          { method: "DELETE", path: `/Users/${user.id}` },
        ],
      },
    });
    expect(response.body.Operations.map((op: { status: string }) => op.status)).toEqual(["200", "412", "204"]);
    expect((await acme.request("GET", `/Users/${user.id}`)).status).toBe(404);
  });

  it("answers circular bulkId references with 409 for those operations", async () => {
    const response = await acme.request("POST", "/Bulk", {
      body: {
        schemas: [bulkSchema],
        Operations: [
          { method: "POST", path: "/Groups", bulkId: "a", data: { displayName: "Circle A", members: [{ value: "bulkId:b" }] } },
          { method: "POST", path: "/Groups", bulkId: "b", data: { displayName: "Circle B", members: [{ value: "bulkId:a" }] } },
        ],
      },
    });
    expect(response.body.Operations.map((op: { status: string }) => op.status)).toEqual(["409", "409"]);
  });

  it("enforces maxOperations and maxPayloadSize with 413", async () => {
    const tooMany = await acme.request("POST", "/Bulk", {
      body: { schemas: [bulkSchema], Operations: Array.from({ length: 1001 }, (_, i) => ({ method: "DELETE", path: `/Users/x${i}` })) },
    });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.detail).toContain("1000");
    const tooBig = await acme.request("POST", "/Bulk", {
      body: { schemas: [bulkSchema], Operations: [{ method: "POST", path: "/Users", bulkId: "big", data: userBody("big@example.org", { displayName: "x".repeat(1100 * 1024) }) }] },
    });
    expect(tooBig.status).toBe(413);
  });
});
