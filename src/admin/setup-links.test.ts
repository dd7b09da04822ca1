import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashSecret } from "../provisioning/tokens.js";
import { openTempStore, type TempStore } from "../store/testing/temp-store.js";
import { createAdmin, listAdmins } from "./admin-accounts.js";
import type { AdminContext } from "./admin-context.js";
import { authenticateSession } from "./admin-sessions.js";
import { systemActor } from "./audit-trail.js";
import { completeSetup, createSetupLink, inspectSetupLink, setupLinkUrl } from "./setup-links.js";

const actor = systemActor("test");
let temp: TempStore;
let clock: Date;
let context: AdminContext;
const password = "a long enough password";
beforeEach(async () => {
  temp = await openTempStore();
  clock = new Date("2026-03-01T10:00:00.000Z");
  context = { store: temp.store, now: () => clock, sessionIdleHours: 12 };
});
afterEach(() => temp.dispose());

describe("createSetupLink", () => {
  it("stores only the SHA-256 of a 256-bit secret, valid for 24 hours", async () => {
    const issued = await createSetupLink(temp.store, actor, "al@example.com", clock);
    expect(issued.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.record).toEqual({ id: hashSecret(issued.secret), email: "al@example.com", created: "2026-03-01T10:00:00.000Z", expires: "2026-03-02T10:00:00.000Z" });
    expect(setupLinkUrl("https://muster.example.com", issued.secret)).toBe(`https://muster.example.com/admin/setup/${issued.secret}`);
  });

  it("returns conflict when the email is an admin already", async () => {
    await createAdmin(temp.store, actor, "al@example.com", password);
    await expect(createSetupLink(temp.store, actor, "AL@example.com", clock)).rejects.toMatchObject({ code: "conflict", field: "email" });
  });
});

describe("completeSetup", () => {
  it("creates the link's admin, signs them in and uses the link up", async () => {
    const { secret } = await createSetupLink(temp.store, actor, "al@example.com", clock);
    expect(await inspectSetupLink(context, secret)).toMatchObject({ email: "al@example.com", expires: "2026-03-02T10:00:00.000Z" });
    const opened = await completeSetup(context, secret, { password });
    expect(opened.account.email).toBe("al@example.com");
    expect(await authenticateSession(context, opened.secret)).toBeDefined();
    await expect(inspectSetupLink(context, secret)).rejects.toMatchObject({ code: "setup_link_invalid" });
    await expect(completeSetup(context, secret, { password })).rejects.toMatchObject({ code: "setup_link_invalid" });
    expect(await temp.store.read((s) => s.setupLinks.get(hashSecret(secret)))).toMatchObject({ adminId: opened.account.id, used: "2026-03-01T10:00:00.000Z" });
  });

  it("lets the first-admin link choose the email, and ends every first-admin link once an admin exists", async () => {
    const first = await createSetupLink(temp.store, actor, null, clock);
    const second = await createSetupLink(temp.store, actor, null, clock);
    await expect(completeSetup(context, first.secret, { password })).rejects.toMatchObject({ code: "invalid", field: "email" });
    const opened = await completeSetup(context, first.secret, { email: "owner@example.com", password });
    expect(opened.account.email).toBe("owner@example.com");
    await expect(inspectSetupLink(context, second.secret)).rejects.toMatchObject({ code: "setup_link_invalid" });
  });

  it("refuses a link after 24 hours, an unknown secret and a malformed one", async () => {
    const { secret } = await createSetupLink(temp.store, actor, "al@example.com", clock);
    clock = new Date(clock.getTime() + 24 * 3_600_000);
    await expect(completeSetup(context, secret, { password })).rejects.toMatchObject({ code: "setup_link_invalid" });
    await expect(inspectSetupLink(context, "B".repeat(43))).rejects.toMatchObject({ code: "setup_link_invalid" });
    await expect(inspectSetupLink(context, "../etc")).rejects.toMatchObject({ code: "setup_link_invalid" });
    expect(await listAdmins(temp.store)).toEqual([]);
  });

  it("keeps the link usable when the password breaks the rules or the email is changed", async () => {
    const { secret } = await createSetupLink(temp.store, actor, "al@example.com", clock);
    await expect(completeSetup(context, secret, { password: "short" })).rejects.toMatchObject({ code: "invalid", field: "password" });
    await expect(completeSetup(context, secret, { password: "al@example.com" })).rejects.toMatchObject({ code: "invalid", field: "password" });
    await expect(completeSetup(context, secret, { email: "mallory@example.com", password })).rejects.toMatchObject({ code: "invalid", field: "email" });
    await expect(completeSetup(context, secret, { email: "AL@example.com", password })).resolves.toMatchObject({ account: { email: "al@example.com" } });
  });

  it("returns conflict when the link's email became an admin meanwhile, and leaves the link unused", async () => {
    const { secret } = await createSetupLink(temp.store, actor, "al@example.com", clock);
    await createAdmin(temp.store, actor, "al@example.com", password);
    await expect(completeSetup(context, secret, { password })).rejects.toMatchObject({ code: "conflict", field: "email" });
    expect((await temp.store.read((s) => s.setupLinks.get(hashSecret(secret))))?.used).toBeUndefined();
  });
});
