import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdmin } from "../../src/admin/admin-accounts.js";
import { createSetupLink } from "../../src/admin/setup-links.js";
import { cliActor } from "../../src/cli/cli-actor.js";
import { sessionCookieOf } from "../support/admin-session.js";
import { startTestServer, type TestServer } from "../support/scim-server.js";

let server: TestServer;
let clock = Date.parse("2026-03-01T10:00:00.000Z");
const password = "correct horse battery staple";
const json = { "content-type": "application/json" };

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
});
afterAll(() => server.close());

const setup = (method: string, secret: string, body?: unknown) => server.fetch(method, `${server.url}/api/setup/${secret}`, { headers: json, ...(body === undefined ? {} : { body }) });
const invalidLink = {
  error: {
    code: "setup_link_invalid",
    message: "This setup link is not valid: it is unknown, was used already, or has expired. Ask an admin for a new one (muster admins create <email>).",
    field: null,
  },
};

describe("first-admin setup link", () => {
  it("lets whoever opens it choose email and password, signs them in, and then stops working", async () => {
    const { secret } = await createSetupLink(server.store, cliActor(), null, new Date(clock));
    const info = await setup("GET", secret);
    expect(info.status).toBe(200);
    expect(info.body).toEqual({ email: null, expiresAt: new Date(clock + 24 * 3_600_000).toISOString() });

    const missingEmail = await setup("POST", secret, { password });
    expect(missingEmail.status).toBe(400);
    expect(missingEmail.body.error).toMatchObject({ code: "invalid", field: "email" });

    const done = await setup("POST", secret, { email: "owner@example.com", password });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ admin: { email: "owner@example.com" }, csrfToken: expect.any(String) });
    const cookie = sessionCookieOf(done.headers)!;
    expect(done.headers.getSetCookie()[0]).toContain("HttpOnly; SameSite=Strict");
    expect((await server.fetch("GET", `${server.url}/api/session`, { headers: { cookie } })).body.admin.email).toBe("owner@example.com");

    expect(await setup("GET", secret)).toMatchObject({ status: 410, body: invalidLink });
    expect(await setup("POST", secret, { email: "second@example.com", password })).toMatchObject({ status: 410, body: invalidLink });
  });

  it("stops working once any admin exists", async () => {
    const { secret } = await createSetupLink(server.store, cliActor(), null, new Date(clock));
    expect(await setup("GET", secret)).toMatchObject({ status: 410, body: invalidLink });
  });
});

describe("setup link for a named admin", () => {
  it("creates that admin with the chosen password, once", async () => {
    const { secret } = await createSetupLink(server.store, cliActor(), "new@example.com", new Date(clock));
    expect((await setup("GET", secret)).body).toEqual({ email: "new@example.com", expiresAt: new Date(clock + 24 * 3_600_000).toISOString() });
    const weak = await setup("POST", secret, { password: "new@example.com" });
    expect(weak.body.error).toEqual({ code: "invalid", message: "The password must not be the email address.", field: "password" });
    const done = await setup("POST", secret, { password });
    expect(done.status).toBe(200);
    expect(done.body.admin.email).toBe("new@example.com");
    expect((await setup("POST", secret, { password })).status).toBe(410);
    const signIn = await server.fetch("POST", `${server.url}/api/session`, { headers: json, body: { email: "new@example.com", password } });
    expect(signIn.status).toBe(200);
  });

  it("expires after 24 hours", async () => {
    const { secret } = await createSetupLink(server.store, cliActor(), "late@example.com", new Date(clock));
    clock += 24 * 3_600_000 - 1;
    expect((await setup("GET", secret)).status).toBe(200);
    clock += 1;
    expect(await setup("GET", secret)).toMatchObject({ status: 410, body: invalidLink });
    expect((await setup("POST", secret, { password })).status).toBe(410);
  });

  it("answers 410 for unknown and malformed secrets", async () => {
    expect((await setup("GET", "A".repeat(43))).status).toBe(410);
    expect((await setup("GET", "not-a-secret")).status).toBe(410);
    expect((await setup("POST", "A".repeat(43), { password })).status).toBe(410);
  });

  it("answers 409 conflict when the email became an admin after the link was made", async () => {
    const { secret } = await createSetupLink(server.store, cliActor(), "raced@example.com", new Date(clock));
    await createAdmin(server.store, cliActor(), "raced@example.com", password);
    const response = await setup("POST", secret, { password });
    expect(response.status).toBe(409);
    expect(response.body.error).toEqual({ code: "conflict", message: 'An admin with email "raced@example.com" already exists.', field: "email" });
  });

  it("refuses a setup posted from another site's page", async () => {
    const { secret } = await createSetupLink(server.store, cliActor(), "crosssite@example.com", new Date(clock));
    const response = await server.fetch("POST", `${server.url}/api/setup/${secret}`, { headers: { ...json, origin: "https://evil.example" }, body: { password } });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("csrf");
    expect((await setup("GET", secret)).status).toBe(200);
  });
});
