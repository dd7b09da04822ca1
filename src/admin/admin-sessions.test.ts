import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashSecret } from "../provisioning/tokens.js";
import { openTempStore, type TempStore } from "../store/testing/temp-store.js";
import { createAdmin } from "./admin-accounts.js";
import type { AdminContext } from "./admin-context.js";
import { authenticateSession, signIn, signOut } from "./admin-sessions.js";
import { systemActor } from "./audit-trail.js";

const actor = systemActor("test");
let temp: TempStore;
let clock: Date;
let context: AdminContext;
const password = "a long enough password";
beforeEach(async () => {
  temp = await openTempStore();
  clock = new Date("2026-03-01T10:00:00.000Z");
  context = { store: temp.store, now: () => clock, sessionIdleHours: 12 };
  await createAdmin(temp.store, actor, "al@example.com", password, clock);
});
afterEach(() => temp.dispose());

const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};
const hours = 3_600_000;

describe("signIn", () => {
  it("opens a session with a 256-bit secret stored only as its SHA-256, a CSRF token and both expiries", async () => {
    const opened = await signIn(context, { email: " AL@example.com ", password, address: "10.0.0.1" });
    expect(opened.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(opened.session.id).toBe(hashSecret(opened.secret));
    expect(opened.session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(opened.session).toMatchObject({ created: "2026-03-01T10:00:00.000Z", expires: "2026-03-01T22:00:00.000Z", absoluteExpires: "2026-03-08T10:00:00.000Z" });
    expect(opened.account.email).toBe("al@example.com");
    const stored = await temp.store.read((s) => s.adminSessions.get(opened.session.id));
    expect(JSON.stringify(stored)).not.toContain(opened.secret);
  });

  it("fails with the same credentials error for a wrong password and an unknown email", async () => {
    // Both run at once; expect() attaches to each before either can reject unobserved.
    await Promise.all([
      expect(signIn(context, { email: "al@example.com", password: "not the password!", address: "10.0.0.1" })).rejects.toMatchObject({ code: "credentials", message: "The email or password is wrong." }),
      expect(signIn(context, { email: "nobody@example.com", password, address: "10.0.0.1" })).rejects.toMatchObject({ code: "credentials", message: "The email or password is wrong." }),
    ]);
  });

  it("throttles the sixth try after five wrong passwords even when it is right, and a success resets the count", async () => {
    for (let i = 0; i < 4; i++) await expect(signIn(context, { email: "al@example.com", password: `wrong password ${i}`, address: "10.0.0.1" })).rejects.toMatchObject({ code: "credentials" });
    await signIn(context, { email: "al@example.com", password, address: "10.0.0.1" });
    for (let i = 0; i < 5; i++) await expect(signIn(context, { email: "al@example.com", password: `wrong password ${i}`, address: "10.0.0.1" })).rejects.toMatchObject({ code: "credentials" });
    await expect(signIn(context, { email: "al@example.com", password, address: "10.0.0.1" })).rejects.toMatchObject({ code: "throttled", retryAfterSeconds: 900 });
  });
});

describe("authenticateSession", () => {
  it("returns the admin for the cookie's secret and nothing for malformed or unknown secrets", async () => {
    const opened = await signIn(context, { email: "al@example.com", password, address: "10.0.0.1" });
    expect((await authenticateSession(context, opened.secret))?.account.id).toBe(opened.account.id);
    expect(await authenticateSession(context, undefined)).toBeUndefined();
    expect(await authenticateSession(context, "short")).toBeUndefined();
    expect(await authenticateSession(context, "A".repeat(43))).toBeUndefined();
    expect(await authenticateSession(context, opened.session.id)).toBeUndefined();
  });

  it("slides the idle expiry, writing it at most once a minute", async () => {
    const opened = await signIn(context, { email: "al@example.com", password, address: "10.0.0.1" });
    advance(30_000);
    expect((await authenticateSession(context, opened.secret))?.session.expires).toBe("2026-03-01T22:00:00.000Z");
    advance(30_000);
    expect((await authenticateSession(context, opened.secret))?.session.expires).toBe("2026-03-01T22:01:00.000Z");
    expect(await temp.store.read((s) => s.adminSessions.get(opened.session.id))).toMatchObject({ lastSeen: "2026-03-01T10:01:00.000Z", expires: "2026-03-01T22:01:00.000Z" });
  });

  it("ends a session idle for sessionIdleHours", async () => {
    const opened = await signIn(context, { email: "al@example.com", password, address: "10.0.0.1" });
    advance(12 * hours - 1);
    expect(await authenticateSession(context, opened.secret)).toBeDefined();
    advance(12 * hours);
    expect(await authenticateSession(context, opened.secret)).toBeUndefined();
  });

  it("ends a session 7 days after sign-in however often it is used, and never reports an idle expiry past that", async () => {
    const opened = await signIn(context, { email: "al@example.com", password, address: "10.0.0.1" });
    let last;
    // 16 uses 10 hours apart: 160 hours in, the idle expiry (172 h) is cut to the absolute one (168 h).
    for (let i = 0; i < 16; i++) {
      advance(10 * hours);
      last = await authenticateSession(context, opened.secret);
    }
    expect(last?.session.expires).toBe("2026-03-08T10:00:00.000Z");
    advance(8 * hours);
    expect(await authenticateSession(context, opened.secret)).toBeUndefined();
  });
});

describe("signOut", () => {
  it("deletes the session so its cookie stops working", async () => {
    const opened = await signIn(context, { email: "al@example.com", password, address: "10.0.0.1" });
    await signOut(context, actor, opened.session.id);
    expect(await authenticateSession(context, opened.secret)).toBeUndefined();
  });
});
