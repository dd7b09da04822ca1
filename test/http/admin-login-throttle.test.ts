import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAdmin } from "../../src/admin/admin-accounts.js";
import { cliActor } from "../../src/cli/cli-actor.js";
import { startTestServer, type TestServer } from "../support/scim-server.js";

let server: TestServer;
let clock = Date.parse("2026-03-01T10:00:00.000Z");
const password = "correct horse battery staple";

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
  await createAdmin(server.store, cliActor(), "al@example.com", password);
});
afterAll(() => server.close());
beforeEach(() => {
  clock += 16 * 60_000;
});

const signIn = (email: string, pass: string) => server.fetch("POST", `${server.url}/api/session`, { body: { email, password: pass }, headers: { "content-type": "application/json" } });

describe("sign-in throttling", () => {
  it("answers 429 throttled with Retry-After after 5 failures for one email, even for the right password", async () => {
    for (let i = 0; i < 5; i++) expect((await signIn("al@example.com", `wrong password ${i}`)).status).toBe(401);
    clock += 60_000;
    const throttled = await signIn("AL@example.com", password);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("840");
    expect(throttled.body).toEqual({ error: { code: "throttled", message: "Too many failed sign-ins. Try again in 14 minutes.", field: null } });
    expect(throttled.headers.getSetCookie()).toEqual([]);
    clock += 840_000;
    expect((await signIn("al@example.com", password)).status).toBe(200);
  });

  it("throttles an unknown email the same way as a known one", async () => {
    for (let i = 0; i < 5; i++) expect((await signIn("ghost@example.com", `wrong password ${i}`)).status).toBe(401);
    const throttled = await signIn("ghost@example.com", "another guess here");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("900");
  });

  it("resets an email's failures on a successful sign-in", async () => {
    for (let i = 0; i < 4; i++) await signIn("al@example.com", `wrong password ${i}`);
    expect((await signIn("al@example.com", password)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn("al@example.com", `wrong password ${i}`)).status).toBe(401);
    expect((await signIn("al@example.com", password)).status).toBe(200);
  });

  it("answers 429 after 20 failures from one address across emails, for every email", async () => {
    for (let i = 0; i < 20; i++) expect((await signIn(`user${i}@example.com`, "a wrong password")).status).toBe(401);
    const throttled = await signIn("al@example.com", password);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBe(900);
    clock += 900_000;
    expect((await signIn("al@example.com", password)).status).toBe(200);
  });

  it("throttles guesses of the current password on password change too", async () => {
    await createAdmin(server.store, cliActor(), "guessed@example.com", password);
    const signedIn = await signIn("guessed@example.com", password);
    const cookie = signedIn.headers.getSetCookie()[0]!.split(";")[0]!;
    const change = (currentPassword: string) =>
      server.fetch("PUT", `${server.url}/api/session/password`, {
        body: { currentPassword, newPassword: "a completely new passphrase" },
        headers: { "content-type": "application/json", cookie, "x-csrf-token": signedIn.body.csrfToken },
      });
    for (let i = 0; i < 5; i++) expect((await change(`guess number ${i}`)).status).toBe(400);
    const throttled = await change(password);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("900");
  });
});
