import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/scim-server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

it("answers unknown admin API routes with an ApiError, not a SCIM error", async () => {
  const response = await server.fetch("GET", `${server.url}/api/nothing-here`);
  expect(response.status).toBe(404);
  expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(response.body).toEqual({ error: { code: "not_found", message: expect.stringContaining("/api/nothing-here"), field: null } });
});
