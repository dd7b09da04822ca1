import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAdmin } from "../../src/admin/admin-accounts.js";
import { cliActor } from "../../src/cli/cli-actor.js";
import { buildServer } from "../../src/http/server.js";
import { openTempStore } from "../../src/store/testing/temp-store.js";
import { signInAdmin, sessionCookieOf } from "../support/admin-session.js";
import { startTestServer, type TestServer } from "../support/scim-server.js";

let server: TestServer;
let clock = Date.parse("2026-03-01T10:00:00.000Z");
const hours = 3_600_000;
const password = "correct horse battery staple";
const json = { "content-type": "application/json" };

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
  await createAdmin(server.store, cliActor(), "al@example.com", password);
});
afterAll(() => server.close());
beforeEach(() => {
  // Every test starts 16 minutes later, so no test sees another's throttled sign-ins.
  clock += 16 * 60_000;
});

const api = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
  server.fetch(method, `${server.url}/api${path}`, { ...options, headers: { ...json, ...(options.headers ?? {}) } });
const signIn = (email: string, pass: string, headers: Record<string, string> = {}) => api("POST", "/session", { body: { email, password: pass }, headers });

describe("POST /api/session", () => {
  it("signs in: 200 SessionInfo and an httpOnly, SameSite=Strict, Path=/ session cookie without Secure on http", async () => {
    const response = await signIn("AL@example.com", password);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      admin: { id: expect.any(String), email: "al@example.com", createdAt: expect.any(String), passwordChangedAt: null },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: new Date(clock + 12 * hours).toISOString(),
    });
    const [setCookie] = response.headers.getSetCookie();
    expect(setCookie).toMatch(/^muster_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("answers a wrong password and an unknown email with the same 401 credentials body", async () => {
    const wrong = await signIn("al@example.com", "not the right password");
    const unknown = await signIn("nobody@example.com", password);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ error: { code: "credentials", message: "The email or password is wrong.", field: null } });
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it("returns 400 invalid naming the field when email or password is missing", async () => {
    expect((await api("POST", "/session", { body: { password } })).body).toEqual({ error: { code: "invalid", message: '"email" is required and must be a string.', field: "email" } });
    expect((await api("POST", "/session", { body: { email: "al@example.com", password: 5 } })).body.error).toMatchObject({ code: "invalid", field: "password" });
    expect((await api("POST", "/session", { body: ["al@example.com"] })).status).toBe(400);
  });

  it("refuses a sign-in posted from another site's page (Origin) with 403 csrf, and accepts this server's origin", async () => {
    const foreign = await signIn("al@example.com", password, { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe("csrf");
    expect((await signIn("al@example.com", password, { origin: "null" })).status).toBe(403);
    expect((await signIn("al@example.com", password, { origin: server.url })).status).toBe(200);
  });
});

describe("behind https", () => {
  it("marks the session cookie Secure when the public URL is https", async () => {
    const temp = await openTempStore();
    const { store } = temp;
    const https = await buildServer({ store, publicUrl: "https://muster.example.com", logger: false });
    try {
      await createAdmin(store, cliActor(), "al@example.com", password);
      const response = await https.app.inject({ method: "POST", url: "/api/session", headers: json, payload: { email: "al@example.com", password } });
      expect(response.statusCode).toBe(200);
      expect(response.headers["set-cookie"]).toMatch(/^muster_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
      const fromPublicOrigin = await https.app.inject({ method: "POST", url: "/api/session", headers: { ...json, origin: "https://muster.example.com" }, payload: { email: "al@example.com", password } });
      expect(fromPublicOrigin.statusCode).toBe(200);
    } finally {
      await https.close();
      await temp.dispose();
    }
  });
});

describe("GET /api/session", () => {
  it("returns 401 unauthenticated without a cookie, and the SessionInfo with one", async () => {
    const anonymous = await api("GET", "/session");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ error: { code: "unauthenticated", message: "Sign in first: this request has no session.", field: null } });
    const admin = await signInAdmin(server, { email: "al@example.com", password });
    const info = await admin.request("GET", "/session");
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ admin: { email: "al@example.com" }, csrfToken: admin.csrfToken });
  });

  it("returns 401 for a made-up cookie and clears it", async () => {
    const response = await api("GET", "/session", { headers: { cookie: `muster_session=${"x".repeat(43)}` } });
    expect(response.status).toBe(401);
    expect(response.body.error.message).toBe("The session has ended; sign in again.");
    expect(response.headers.getSetCookie()[0]).toMatch(/^muster_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/);
  });

  it("never accepts a SCIM bearer token instead of a session", async () => {
    const tenant = await server.addTenant("bearer-check");
    const headers = { authorization: `Bearer ${tenant.token}` };
    expect((await api("GET", "/session", { headers })).status).toBe(401);
    expect((await api("DELETE", "/session", { headers })).status).toBe(401);
    expect((await api("PUT", "/session/password", { headers, body: { currentPassword: password, newPassword: "whatever else 123" } })).status).toBe(401);
  });
});

describe("sessions expire", () => {
  it("slides the idle expiry with use, and ends the session after sessionIdleHours without use", async () => {
    const admin = await signInAdmin(server, { email: "al@example.com", password });
    clock += 2 * hours;
    expect((await admin.request("GET", "/session")).body.expiresAt).toBe(new Date(clock + 12 * hours).toISOString());
    clock += 12 * hours - 1;
    expect((await admin.request("GET", "/session")).status).toBe(200);
    clock += 12 * hours;
    const expired = await admin.request("GET", "/session");
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe("unauthenticated");
  });

  it("ends the session 7 days after sign-in even when it is used all along", async () => {
    const admin = await signInAdmin(server, { email: "al@example.com", password });
    const signedInAt = clock;
    while (clock + 10 * hours < signedInAt + 7 * 24 * hours) {
      clock += 10 * hours;
      expect((await admin.request("GET", "/session")).status).toBe(200);
    }
    clock = signedInAt + 7 * 24 * hours;
    expect((await admin.request("GET", "/session")).status).toBe(401);
  });
});

describe("CSRF", () => {
  it("refuses a state change without X-CSRF-Token or with a wrong one: 403 csrf, and nothing changes", async () => {
    const admin = await signInAdmin(server, { email: "al@example.com", password });
    const missing = await api("DELETE", "/session", { headers: { cookie: admin.cookie } });
    expect(missing.status).toBe(403);
    expect(missing.body).toEqual({ error: { code: "csrf", message: "The X-CSRF-Token header is missing or wrong; send the csrfToken of GET /api/session.", field: null } });
    const wrong = await api("DELETE", "/session", { headers: { cookie: admin.cookie, "x-csrf-token": `${admin.csrfToken.slice(0, -1)}${admin.csrfToken.endsWith("A") ? "B" : "A"}` } });
    expect(wrong.status).toBe(403);
    expect((await admin.request("GET", "/session")).status).toBe(200);
  });

  it("refuses a state change from another origin even with the right token", async () => {
    const admin = await signInAdmin(server, { email: "al@example.com", password });
    const response = await api("DELETE", "/session", { headers: { cookie: admin.cookie, "x-csrf-token": admin.csrfToken, origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("csrf");
    expect((await admin.request("GET", "/session")).status).toBe(200);
  });

  it("does not ask for the token on GET", async () => {
    const admin = await signInAdmin(server, { email: "al@example.com", password });
    expect((await api("GET", "/session", { headers: { cookie: admin.cookie } })).status).toBe(200);
  });
});

describe("DELETE /api/session", () => {
  it("signs out: 204, clears the cookie, and the old cookie no longer works", async () => {
    const admin = await signInAdmin(server, { email: "al@example.com", password });
    const response = await admin.request("DELETE", "/session");
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()[0]).toMatch(/^muster_session=; Max-Age=0; Path=\/;/);
    expect((await admin.request("GET", "/session")).status).toBe(401);
  });
});

describe("PUT /api/session/password", () => {
  it("changes the password: 204, other sessions end, this one stays, and only the new password signs in", async () => {
    await createAdmin(server.store, cliActor(), "changer@example.com", password);
    const here = await signInAdmin(server, { email: "changer@example.com", password });
    const elsewhere = await signInAdmin(server, { email: "changer@example.com", password });
    const response = await here.request("PUT", "/session/password", { currentPassword: password, newPassword: "a completely new passphrase" });
    expect(response.status).toBe(204);
    expect((await here.request("GET", "/session")).status).toBe(200);
    expect((await here.request("GET", "/session")).body.admin.passwordChangedAt).toBe(new Date(clock).toISOString());
    expect((await elsewhere.request("GET", "/session")).status).toBe(401);
    expect((await signIn("changer@example.com", password)).status).toBe(401);
    expect((await signIn("changer@example.com", "a completely new passphrase")).status).toBe(200);
  });

  it("returns 400 invalid on currentPassword when it is wrong and on newPassword when it breaks the rules", async () => {
    await createAdmin(server.store, cliActor(), "careful@example.com", password);
    const admin = await signInAdmin(server, { email: "careful@example.com", password });
    const wrong = await admin.request("PUT", "/session/password", { currentPassword: "not my password", newPassword: "a completely new passphrase" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toEqual({ code: "invalid", message: "The current password is wrong.", field: "currentPassword" });
    const short = await admin.request("PUT", "/session/password", { currentPassword: password, newPassword: "short" });
    expect(short.body.error).toEqual({ code: "invalid", message: "The password must be at least 12 characters long.", field: "newPassword" });
    const email = await admin.request("PUT", "/session/password", { currentPassword: password, newPassword: "CAREFUL@example.com" });
    expect(email.body.error).toEqual({ code: "invalid", message: "The password must not be the email address.", field: "newPassword" });
    expect((await signIn("careful@example.com", password)).status).toBe(200);
  });
});

describe("sessionCookieOf", () => {
  it("finds the session cookie among Set-Cookie headers", () => {
    const headers = new Headers([["set-cookie", "other=1; Path=/"], ["set-cookie", "muster_session=abc; Path=/; HttpOnly"]]);
    expect(sessionCookieOf(headers)).toBe("muster_session=abc");
  });
});
