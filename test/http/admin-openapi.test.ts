import { randomBytes } from "node:crypto";
import Fastify, { type RouteOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApiPlugin } from "../../src/http/admin-api/admin-api-plugin.js";
import { openApiDocument } from "../../src/http/admin-api/openapi.js";
import type { Operation, PathItem } from "../../src/http/admin-api/openapi-types.js";
import { TokenAuthenticator } from "../../src/provisioning/authenticator.js";
import { CursorCodec } from "../../src/scim/cursor.js";
import { registry } from "../../src/scim/schema/registry.js";
import { openTempStore, type TempStore } from "../../src/store/testing/temp-store.js";
import { startTestServer, type TestServer } from "../support/scim-server.js";

const document = openApiDocument("https://muster.example.com");
const methods = ["get", "post", "put", "patch", "delete"] as const;

/** Every documented operation as "METHOD /path" with its Operation. */
const documented = Object.entries(document.paths).flatMap(([path, item]: [string, PathItem]) =>
  methods.filter((method) => item[method] !== undefined).map((method) => ({ key: `${method.toUpperCase()} ${path}`, path, method, operation: item[method] as Operation })),
);

describe("the document against the routes", () => {
  let temp: TempStore;
  const registered: string[] = [];
  beforeAll(async () => {
    temp = await openTempStore();
    const app = Fastify();
    app.addHook("onRoute", (route: RouteOptions) => {
      const url = route.url;
      if (!url.startsWith("/api")) return;
      for (const method of [route.method].flat()) {
        // HEAD routes are Fastify's automatic companions of GET routes.
        if (method !== "HEAD") registered.push(`${method} ${url.slice("/api".length).replace(/:([A-Za-z]+)/g, "{$1}")}`);
      }
    });
    const authenticator = new TokenAuthenticator(temp.store, { cacheMillis: 0, flushMillis: 60_000 });
    const provisioning = { store: temp.store, registry, cursors: new CursorCodec(randomBytes(32)), now: () => new Date() };
    await app.register(adminApiPlugin, { prefix: "/api", store: temp.store, provisioning, authenticator, publicUrl: () => "http://x", sessionIdleHours: 12, activityRetentionDays: 30, nodeHealth: () => { throw new Error("not called"); } });
    await app.ready();
    await app.close();
  });
  afterAll(() => temp.dispose());

  it("documents every route registered under /api, and nothing else", () => {
    expect(registered.length).toBeGreaterThan(15);
    expect([...new Set(registered)].sort()).toEqual(documented.map((op) => op.key).sort());
  });
});

describe("the document itself", () => {
  it("is OpenAPI 3.1 with the cookie and CSRF security schemes", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.components.securitySchemes).toEqual({
      session: expect.objectContaining({ type: "apiKey", in: "cookie", name: "muster_session" }),
      csrf: expect.objectContaining({ type: "apiKey", in: "header", name: "X-CSRF-Token" }),
    });
    expect(document.servers).toEqual([{ url: "https://muster.example.com/api" }]);
  });

  it("resolves every $ref", () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(50);
    for (const text of refs) {
      const [, kind, name] = /#\/components\/(\w+)\/(\w+)/.exec(text) ?? [];
      expect((document.components as unknown as Record<string, Record<string, unknown>>)[kind!]?.[name!], text).toBeDefined();
    }
  });

  it("declares every path parameter of every operation, and gives unique operation ids", () => {
    for (const op of documented) {
      const declared = (op.operation.parameters ?? []).map((p) => ("$ref" in p ? document.components.parameters[p.$ref.split("/").pop()!]! : p)).filter((p) => p.in === "path").map((p) => p.name);
      expect(declared.sort(), op.key).toEqual([...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
    }
    expect(new Set(documented.map((op) => op.operation.operationId)).size).toBe(documented.length);
  });

  it("requires the CSRF header on every protected state change and documents ApiError answers", () => {
    for (const op of documented) {
      const isPublic = Array.isArray(op.operation.security) && op.operation.security.length === 0;
      if (!isPublic && op.method !== "get") expect(op.operation.security, op.key).toEqual([{ session: [], csrf: [] }]);
      if (!isPublic) expect(op.operation.responses["401"], op.key).toEqual({ $ref: "#/components/responses/Unauthenticated" });
    }
    expect(documented.filter((op) => op.operation.security?.length === 0).map((op) => op.key).sort()).toEqual(["GET /openapi.json", "GET /setup/{token}", "POST /session", "POST /setup/{token}"]);
  });
});

// Access control over every documented operation is tested in admin-access.test.ts.
describe("over HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("serves the document without a session", async () => {
    const response = await server.fetch("GET", `${server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.body.openapi).toBe("3.1.0");
    expect(response.body.servers).toEqual([{ url: `${server.url}/api` }]);
  });
});
