import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAdmin, type AdminSession } from "../support/admin-session.js";
import { startTestServer, type TestServer, type TestTenant } from "../support/scim-server.js";

/** Every operation of the admin API's own OpenAPI document, so a route added later is checked too. */
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly isPublic: boolean;
}

let server: TestServer;
let tenant: TestTenant;
let admin: AdminSession;
let operations: Operation[];
const changes = new Set(["POST", "PUT", "PATCH", "DELETE"]);

beforeAll(async () => {
  server = await startTestServer();
  tenant = await server.addTenant("access");
  admin = await signInAdmin(server);
  const document = (await server.fetch("GET", `${server.url}/api/openapi.json`)).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
  operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({
      method: method.toUpperCase(),
      // Any value reaches the route: the session check comes before the route looks at its parameters.
      path: path.replace(/\{[^}]+\}/g, "access"),
      isPublic: Array.isArray(operation.security) && operation.security.length === 0,
    })),
  );
});
afterAll(() => server.close());

const call = (operation: Operation, headers: Record<string, string>) =>
  server.fetch(operation.method, `${server.url}/api${operation.path}`, { headers: { "content-type": "application/json", ...headers }, ...(changes.has(operation.method) ? { body: {} } : {}) });
const protectedOnes = () => operations.filter((operation) => !operation.isPublic);
const label = (operation: Operation) => `${operation.method} /api${operation.path}`;

describe("admin API access control", () => {
  it("has exactly the public routes shared/admin-api.ts marks public, plus the OpenAPI document", () => {
    expect(operations.filter((operation) => operation.isPublic).map(label).sort()).toEqual(["GET /api/openapi.json", "GET /api/setup/access", "POST /api/session", "POST /api/setup/access"]);
    expect(protectedOnes().length).toBeGreaterThan(10);
  });

  it("answers 401 unauthenticated on every non-public route without a session", async () => {
    for (const operation of protectedOnes()) {
      const response = await call(operation, {});
      expect({ route: label(operation), status: response.status, code: response.body?.error?.code }).toEqual({ route: label(operation), status: 401, code: "unauthenticated" });
    }
  });

  it("never lets a SCIM bearer token stand in for a session", async () => {
    for (const operation of protectedOnes()) {
      const response = await call(operation, { authorization: `Bearer ${tenant.token}` });
      expect({ route: label(operation), status: response.status }).toEqual({ route: label(operation), status: 401 });
    }
  });

  it("answers 403 csrf on every state-changing route when a signed-in request lacks X-CSRF-Token", async () => {
    for (const operation of protectedOnes().filter((candidate) => changes.has(candidate.method))) {
      const response = await call(operation, { cookie: admin.cookie });
      expect({ route: label(operation), status: response.status, code: response.body?.error?.code }).toEqual({ route: label(operation), status: 403, code: "csrf" });
    }
    expect((await admin.request("GET", "/session")).status).toBe(200);
  });

  it("answers 403 csrf on every state-changing route, public ones included, when another site's page sends it", async () => {
    for (const operation of operations.filter((candidate) => changes.has(candidate.method))) {
      const response = await call(operation, { cookie: admin.cookie, "x-csrf-token": admin.csrfToken, origin: "https://evil.example" });
      expect({ route: label(operation), status: response.status, code: response.body?.error?.code }).toEqual({ route: label(operation), status: 403, code: "csrf" });
    }
    expect((await admin.request("GET", "/session")).status).toBe(200);
  });
});
