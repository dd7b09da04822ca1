import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/scim-server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ trustProxy: ["127.0.0.1"] });
});
afterAll(() => server.close());

const signIn = (email: string, forwardedFor: string) =>
  server.fetch("POST", `${server.url}/api/session`, { body: { email, password: "a wrong password" }, headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor } });

it("counts sign-in failures per client address from X-Forwarded-For when the proxy is trusted (MUSTER_TRUST_PROXY)", async () => {
  for (let i = 0; i < 20; i++) expect((await signIn(`user${i}@example.com`, "203.0.113.5")).status).toBe(401);
  expect((await signIn("someone@example.com", "203.0.113.5")).status).toBe(429);
  expect((await signIn("someone@example.com", "198.51.100.7")).status).toBe(401);
});
