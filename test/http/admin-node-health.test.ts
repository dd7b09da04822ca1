import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeHealth } from "../../shared/admin-api.js";
import { signInAdmin, type AdminSession } from "../support/admin-session.js";
import { startTestServer, userBody, type TestServer, type TestTenant } from "../support/scim-server.js";

/* GET /api/node/health: the answering node's samples of its own metrics, behind an admin session. */

let server: TestServer;
let acme: TestTenant;
let admin: AdminSession;

beforeAll(async () => {
  // Samples are taken by hand (health.sample()) so the test decides what each interval holds.
  server = await startTestServer({ healthSampleMillis: 3_600_000 });
  acme = await server.addTenant("acme");
  admin = await signInAdmin(server);
});
afterAll(() => server.close());

describe("GET /api/node/health", () => {
  it("needs a session", async () => {
    const response = await server.fetch("GET", `${server.url}/api/node/health`);
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthenticated");
  });

  it("answers which node it is, and a sample per interval with the requests, errors and latency of that interval", async () => {
    await server.server.health.sample();
    for (let i = 0; i < 10; i++) expect((await acme.request("GET", "/Users?count=1")).status).toBe(200);
    expect((await acme.request("POST", "/Users", { body: userBody("health@example.org") })).status).toBe(201);
    expect((await acme.request("POST", "/Users", { body: userBody("health@example.org") })).status).toBe(409);
    await server.server.health.sample();

    const response = await admin.request("GET", "/node/health");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const health = response.body as NodeHealth;
    expect(health.node).toEqual({ hostname: hostname(), pid: process.pid, startedAt: expect.any(String), database: server.store.dialect, workers: 1 });
    expect(health.intervalSeconds).toBe(3600);
    const last = health.samples.at(-1)!;
    expect(last.requestsPerSecond["2xx"]).toBeGreaterThan(0);
    expect(last.requestsPerSecond["4xx"]).toBeGreaterThan(0);
    expect(last.scimErrorsPerSecond.client).toBeGreaterThan(0);
    expect(last.scimErrorsPerSecond.server).toBe(0);
    expect(last.scimLatencyMs.p50).toBeGreaterThan(0);
    expect(last.scimLatencyMs.p99).toBeGreaterThanOrEqual(last.scimLatencyMs.p50!);
    expect(last.memory.residentBytes).toBeGreaterThan(0);
    expect(last.eventLoopDelayMs.max).toBeGreaterThanOrEqual(last.eventLoopDelayMs.p99);
    if (server.store.dialect === "sqlite") expect(last.commitGroup?.writesPerCommit).toBeGreaterThanOrEqual(1);
    else expect(last.commitGroup).toBeNull();
  });
});
