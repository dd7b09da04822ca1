import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScimError } from "../../scim/errors.js";
import type { AdminSessionRecord } from "../store.js";
import { openTempStore, type TempStore } from "../testing/temp-store.js";

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.dispose());

const admin = (id: string, email: string, created = "2026-01-01T00:00:00.000Z") => ({ id, email, passwordHash: `$argon2id$hash-${id}`, created });
const session = (id: string, adminId: string, expires = "2026-01-01T12:00:00.000Z"): AdminSessionRecord => ({
  id,
  adminId,
  csrfToken: `csrf-${id}`,
  created: "2026-01-01T00:00:00.000Z",
  lastSeen: "2026-01-01T00:00:00.000Z",
  expires,
  absoluteExpires: "2026-01-08T00:00:00.000Z",
});

describe("admins", () => {
  it("creates, finds by id and by email case-insensitively, lists in creation order and counts", async () => {
    await temp.store.write(async (s) => {
      await s.admins.create(admin("b", "Bea@Example.com", "2026-01-02T00:00:00.000Z"));
      await s.admins.create(admin("a", "al@example.com"));
    });
    expect(await temp.store.read((s) => s.admins.get("b"))).toEqual(admin("b", "Bea@Example.com", "2026-01-02T00:00:00.000Z"));
    expect((await temp.store.read((s) => s.admins.byEmail("BEA@example.COM")))?.id).toBe("b");
    expect(await temp.store.read((s) => s.admins.byEmail("nobody@example.com"))).toBeUndefined();
    expect((await temp.store.read((s) => s.admins.list())).map((a) => a.id)).toEqual(["a", "b"]);
    expect(await temp.store.read((s) => s.admins.count())).toBe(2);
  });

  it("returns uniqueness when the email differs only by case", async () => {
    await temp.store.write((s) => s.admins.create(admin("a", "al@example.com")));
    const failing = temp.store.write((s) => s.admins.create(admin("b", "AL@Example.com")));
    await expect(failing).rejects.toBeInstanceOf(ScimError);
    await expect(failing).rejects.toMatchObject({ code: "uniqueness", detail: 'An admin with email "AL@Example.com" already exists.' });
  });

  it("replaces the password hash and records when", async () => {
    await temp.store.write((s) => s.admins.create(admin("a", "al@example.com")));
    expect(await temp.store.write((s) => s.admins.setPassword("a", "$argon2id$new", "2026-02-01T00:00:00.000Z"))).toBe(true);
    expect(await temp.store.write((s) => s.admins.setPassword("zz", "$argon2id$new", "2026-02-01T00:00:00.000Z"))).toBe(false);
    expect(await temp.store.read((s) => s.admins.get("a"))).toMatchObject({ passwordHash: "$argon2id$new", passwordChanged: "2026-02-01T00:00:00.000Z" });
  });
});

describe("admin sessions", () => {
  beforeEach(async () => {
    await temp.store.write(async (s) => {
      await s.admins.create(admin("a", "al@example.com"));
      await s.admins.create(admin("b", "bea@example.com"));
    });
  });

  it("creates, reads, touches and deletes a session", async () => {
    await temp.store.write((s) => s.adminSessions.create(session("s1", "a")));
    expect(await temp.store.read((s) => s.adminSessions.get("s1"))).toEqual(session("s1", "a"));
    expect(await temp.store.write((s) => s.adminSessions.touch("s1", "2026-01-01T01:00:00.000Z", "2026-01-01T13:00:00.000Z"))).toBe(true);
    expect(await temp.store.read((s) => s.adminSessions.get("s1"))).toMatchObject({ lastSeen: "2026-01-01T01:00:00.000Z", expires: "2026-01-01T13:00:00.000Z" });
    expect(await temp.store.write((s) => s.adminSessions.delete("s1"))).toBe(true);
    expect(await temp.store.write((s) => s.adminSessions.delete("s1"))).toBe(false);
    expect(await temp.store.write((s) => s.adminSessions.touch("s1", "2026-01-01T02:00:00.000Z", "2026-01-01T14:00:00.000Z"))).toBe(false);
  });

  it("ends an admin's other sessions and leaves other admins' sessions alone", async () => {
    await temp.store.write(async (s) => {
      for (const [id, adminId] of [["s1", "a"], ["s2", "a"], ["s3", "a"], ["s4", "b"]] as const) await s.adminSessions.create(session(id, adminId));
    });
    expect(await temp.store.write((s) => s.adminSessions.deleteForAdmin("a", "s2"))).toBe(2);
    const left = await temp.store.read(async (s) => [await s.adminSessions.get("s1"), await s.adminSessions.get("s2"), await s.adminSessions.get("s4")]);
    expect(left.map((row) => row?.id)).toEqual([undefined, "s2", "s4"]);
    expect(await temp.store.write((s) => s.adminSessions.deleteForAdmin("a"))).toBe(1);
  });

  it("removes sessions whose idle expiry has passed", async () => {
    await temp.store.write(async (s) => {
      await s.adminSessions.create(session("old", "a", "2026-01-01T05:00:00.000Z"));
      await s.adminSessions.create(session("new", "a", "2026-01-01T07:00:00.000Z"));
    });
    expect(await temp.store.write((s) => s.adminSessions.deleteExpired("2026-01-01T06:00:00.000Z"))).toBe(1);
    expect(await temp.store.read((s) => s.adminSessions.get("new"))).toBeDefined();
  });

  it("removes an admin's sessions with the admin (foreign key cascade)", async () => {
    await temp.store.write((s) => s.adminSessions.create(session("s1", "b")));
    // No repository deletes admins yet: the cascade is checked through a connection of our own.
    await temp.raw(sql`delete from admins where id = ${"b"}`);
    expect(await temp.store.read((s) => s.adminSessions.get("s1"))).toBeUndefined();
  });
});

describe("setup links", () => {
  it("creates a link, marks it used once, and keeps who used it", async () => {
    await temp.store.write(async (s) => {
      await s.admins.create(admin("a", "al@example.com"));
      await s.setupLinks.create({ id: "l1", email: null, created: "2026-01-01T00:00:00.000Z", expires: "2026-01-02T00:00:00.000Z" });
    });
    expect(await temp.store.read((s) => s.setupLinks.get("l1"))).toEqual({ id: "l1", email: null, created: "2026-01-01T00:00:00.000Z", expires: "2026-01-02T00:00:00.000Z" });
    expect(await temp.store.write((s) => s.setupLinks.markUsed("l1", "a", "2026-01-01T01:00:00.000Z"))).toBe(true);
    expect(await temp.store.write((s) => s.setupLinks.markUsed("l1", "a", "2026-01-01T02:00:00.000Z"))).toBe(false);
    expect(await temp.store.read((s) => s.setupLinks.get("l1"))).toMatchObject({ adminId: "a", used: "2026-01-01T01:00:00.000Z" });
  });

  it("removes expired links", async () => {
    await temp.store.write(async (s) => {
      await s.setupLinks.create({ id: "old", email: "x@example.com", created: "2026-01-01T00:00:00.000Z", expires: "2026-01-02T00:00:00.000Z" });
      await s.setupLinks.create({ id: "new", email: "y@example.com", created: "2026-01-02T00:00:00.000Z", expires: "2026-01-03T00:00:00.000Z" });
    });
    expect(await temp.store.write((s) => s.setupLinks.deleteExpired("2026-01-02T00:00:00.000Z"))).toBe(1);
    expect(await temp.store.read((s) => s.setupLinks.get("old"))).toBeUndefined();
    expect(await temp.store.read((s) => s.setupLinks.get("new"))).toMatchObject({ email: "y@example.com" });
  });
});

describe("login failures", () => {
  it("counts a key's failures after a time, newest first and limited, and clears one key", async () => {
    await temp.store.write(async (s) => {
      await s.loginFailures.record(["email:al@example.com", "ip:10.0.0.1"], "2026-01-01T00:00:00.000Z");
      await s.loginFailures.record(["email:al@example.com", "ip:10.0.0.1"], "2026-01-01T00:10:00.000Z");
      await s.loginFailures.record(["email:al@example.com"], "2026-01-01T00:10:00.000Z");
      await s.loginFailures.record(["email:al@example.com"], "2026-01-01T00:20:00.000Z");
    });
    const recent = (key: string, since: string, limit = 10) => temp.store.read((s) => s.loginFailures.recent(key, since, limit));
    expect(await recent("email:al@example.com", "2026-01-01T00:00:00.000Z")).toEqual(["2026-01-01T00:20:00.000Z", "2026-01-01T00:10:00.000Z", "2026-01-01T00:10:00.000Z"]);
    expect(await recent("email:al@example.com", "2025-12-31T00:00:00.000Z", 2)).toEqual(["2026-01-01T00:20:00.000Z", "2026-01-01T00:10:00.000Z"]);
    await temp.store.write((s) => s.loginFailures.clear("email:al@example.com"));
    expect(await recent("email:al@example.com", "2025-12-31T00:00:00.000Z")).toEqual([]);
    expect(await recent("ip:10.0.0.1", "2025-12-31T00:00:00.000Z")).toHaveLength(2);
  });

  it("forgets one attempt under its keys and keeps the others", async () => {
    const [first, second] = await temp.store.write(async (s) => [
      await s.loginFailures.record(["email:al@example.com", "ip:10.0.0.1"], "2026-01-01T00:00:00.000Z"),
      await s.loginFailures.record(["email:al@example.com", "ip:10.0.0.1"], "2026-01-01T00:01:00.000Z"),
    ]);
    expect(first).not.toBe(second);
    await temp.store.write((s) => s.loginFailures.forget(["email:al@example.com", "ip:10.0.0.1"], second!));
    expect(await temp.store.read((s) => s.loginFailures.recent("ip:10.0.0.1", "2025-01-01T00:00:00.000Z", 10))).toEqual(["2026-01-01T00:00:00.000Z"]);
    expect(await temp.store.read((s) => s.loginFailures.recent("email:al@example.com", "2025-01-01T00:00:00.000Z", 10))).toEqual(["2026-01-01T00:00:00.000Z"]);
  });

  it("forgets failures at or before a time", async () => {
    await temp.store.write(async (s) => {
      await s.loginFailures.record(["ip:10.0.0.1"], "2026-01-01T00:00:00.000Z");
      await s.loginFailures.record(["ip:10.0.0.1"], "2026-01-01T01:00:00.000Z");
    });
    expect(await temp.store.write((s) => s.loginFailures.deleteBefore("2026-01-01T00:00:00.000Z"))).toBe(1);
    expect(await temp.store.read((s) => s.loginFailures.recent("ip:10.0.0.1", "2025-01-01T00:00:00.000Z", 10))).toEqual(["2026-01-01T01:00:00.000Z"]);
  });
});
