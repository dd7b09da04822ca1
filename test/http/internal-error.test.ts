import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer, type TestTenant } from "../support/scim-server.js";

let server: TestServer;
let acme: TestTenant;

beforeAll(async () => {
  server = await startTestServer({ authCacheMillis: 60_000 });
  acme = await server.addTenant("acme");
  await acme.request("GET", "/Users?count=0");
});
// The test closes the store, so the server cannot write its buffered activity; the database is removed all the same.
afterAll(() => server.close().catch(() => undefined));

it("answers an internal failure with a SCIM 500 that names the request id and leaks no stack trace", async () => {
  await server.store.close();
  const response = await acme.request("GET", "/Users", { headers: { "x-request-id": "req-500" } });
  expect(response.status).toBe(500);
  expect(response.body).toEqual({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
    status: "500",
    detail: expect.stringContaining("req-500"),
  });
  expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/);
  expect(response.text).not.toMatch(/sqlite|postgres|kysely/i);
});
