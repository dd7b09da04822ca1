import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempStore, type TempStore } from "../store/testing/temp-store.js";
import { changeAdminPassword, checkEmail, createAdmin, listAdmins } from "./admin-accounts.js";
import type { AdminContext } from "./admin-context.js";
import { authenticateSession, signIn } from "./admin-sessions.js";
import { systemActor } from "./audit-trail.js";

const actor = systemActor("test");
let temp: TempStore;
let context: AdminContext;
const password = "a long enough password";
beforeEach(async () => {
  temp = await openTempStore();
  context = { store: temp.store, now: () => new Date("2026-03-01T10:00:00.000Z"), sessionIdleHours: 12 };
});
afterEach(() => temp.dispose());

describe("createAdmin", () => {
  it("creates an admin with an argon2id hash and lists admins in creation order", async () => {
    const admin = await createAdmin(temp.store, actor, " al@example.com ", password);
    await createAdmin(temp.store, actor, "bea@example.com", password);
    expect(admin.email).toBe("al@example.com");
    expect(admin.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await listAdmins(temp.store)).map((a) => a.email)).toEqual(["al@example.com", "bea@example.com"]);
  });

  it("returns conflict on the email field when the email differs only by case", async () => {
    await createAdmin(temp.store, actor, "al@example.com", password);
    await expect(createAdmin(temp.store, actor, "Al@Example.com", password)).rejects.toMatchObject({ code: "conflict", field: "email" });
  });

  it("returns invalid on the password field for a short password or the email itself", async () => {
    await expect(createAdmin(temp.store, actor, "al@example.com", "short")).rejects.toMatchObject({ code: "invalid", field: "password" });
    await expect(createAdmin(temp.store, actor, "alexandra@example.com", "alexandra@example.com")).rejects.toMatchObject({ code: "invalid", field: "password" });
    expect(await listAdmins(temp.store)).toEqual([]);
  });
});

describe("checkEmail", () => {
  it("trims an address and refuses text that is not one", () => {
    expect(checkEmail("  al@example.com\n")).toBe("al@example.com");
    for (const bad of ["", "al", "al@", "@example.com", "a l@example.com", 42, `${"a".repeat(250)}@example.com`]) {
      expect(() => checkEmail(bad)).toThrow(expect.objectContaining({ code: "invalid", field: "email" }));
    }
  });
});

describe("changeAdminPassword", () => {
  it("changes the password, keeps this session and ends the admin's other sessions", async () => {
    await createAdmin(temp.store, actor, "al@example.com", password);
    const here = await signIn(context, { email: "al@example.com", password, address: "10.0.0.1" });
    const elsewhere = await signIn(context, { email: "al@example.com", password, address: "10.0.0.2" });
    await changeAdminPassword(context, here, { currentPassword: password, newPassword: "a brand new passphrase", address: "10.0.0.1" });
    expect(await authenticateSession(context, here.secret)).toBeDefined();
    expect(await authenticateSession(context, elsewhere.secret)).toBeUndefined();
    expect((await temp.store.read((s) => s.admins.get(here.account.id)))?.passwordChanged).toBe("2026-03-01T10:00:00.000Z");
    await expect(signIn(context, { email: "al@example.com", password, address: "10.0.0.1" })).rejects.toMatchObject({ code: "credentials" });
    await expect(signIn(context, { email: "al@example.com", password: "a brand new passphrase", address: "10.0.0.1" })).resolves.toBeDefined();
  });

  it("returns invalid on currentPassword when it is wrong, and on newPassword when the new one breaks the rules", async () => {
    await createAdmin(temp.store, actor, "al@example.com", password);
    const here = await signIn(context, { email: "al@example.com", password, address: "10.0.0.1" });
    await expect(changeAdminPassword(context, here, { currentPassword: "not my password", newPassword: "a brand new passphrase", address: "10.0.0.1" })).rejects.toMatchObject({ code: "invalid", field: "currentPassword" });
    await expect(changeAdminPassword(context, here, { currentPassword: password, newPassword: "too short", address: "10.0.0.1" })).rejects.toMatchObject({ code: "invalid", field: "newPassword" });
    await expect(signIn(context, { email: "al@example.com", password, address: "10.0.0.1" })).resolves.toBeDefined();
  });
});
