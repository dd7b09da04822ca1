import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScimError } from "../../scim/errors.js";
import { createTenants, openTempStore, type TempStore } from "../testing/temp-store.js";

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.dispose());

const token = (id: string, tenantId: string, created: string) => ({ id, tenantId, clientName: `client ${id}`, hint: id.slice(-4), secretHash: `hash-${id}`, created });

describe("tenants", () => {
  it("creates, finds by slug, lists in creation order and counts", async () => {
    await temp.store.write(async (s) => {
      await s.tenants.create({ id: "b", slug: "beta", name: "Beta", created: "2026-01-02T00:00:00.000Z" });
      await s.tenants.create({ id: "a", slug: "alpha", name: "Alpha", created: "2026-01-01T00:00:00.000Z" });
    });
    expect(await temp.store.read((s) => s.tenants.bySlug("beta"))).toEqual({ id: "b", slug: "beta", name: "Beta", created: "2026-01-02T00:00:00.000Z" });
    expect(await temp.store.read((s) => s.tenants.bySlug("gamma"))).toBeUndefined();
    expect((await temp.store.read((s) => s.tenants.list())).map((t) => t.slug)).toEqual(["alpha", "beta"]);
    expect(await temp.store.read((s) => s.tenants.count())).toBe(2);
  });

  it("returns uniqueness when the slug is taken", async () => {
    await createTenants(temp.store, "acme");
    const failing = temp.store.write((s) => s.tenants.create({ id: "other", slug: "acme", name: "Acme 2", created: "2026-01-01T00:00:00.000Z" }));
    await expect(failing).rejects.toBeInstanceOf(ScimError);
    await expect(failing).rejects.toMatchObject({ code: "uniqueness", detail: 'Tenant slug "acme" is already taken.' });
  });
});

describe("tokens", () => {
  beforeEach(async () => {
    await createTenants(temp.store, "t1", "t2");
    await temp.store.write(async (s) => {
      await s.tokens.create(token("k2", "t1", "2026-01-02T00:00:00.000Z"));
      await s.tokens.create(token("k1", "t1", "2026-01-01T00:00:00.000Z"));
      await s.tokens.create(token("k3", "t2", "2026-01-01T00:00:00.000Z"));
    });
  });

  it("gets a token by id with absent optional times", async () => {
    expect(await temp.store.read((s) => s.tokens.get("k1"))).toEqual(token("k1", "t1", "2026-01-01T00:00:00.000Z"));
    expect(await temp.store.read((s) => s.tokens.get("nope"))).toBeUndefined();
  });

  it("lists a tenant's tokens in creation order", async () => {
    expect((await temp.store.read((s) => s.tokens.list("t1"))).map((t) => t.id)).toEqual(["k1", "k2"]);
    expect((await temp.store.read((s) => s.tokens.list("t2"))).map((t) => t.id)).toEqual(["k3"]);
  });

  it("revokes once, only within the token's tenant", async () => {
    expect(await temp.store.write((s) => s.tokens.revoke("t2", "k1", "2026-02-01T00:00:00.000Z"))).toBe(false);
    expect(await temp.store.write((s) => s.tokens.revoke("t1", "k1", "2026-02-01T00:00:00.000Z"))).toBe(true);
    expect(await temp.store.write((s) => s.tokens.revoke("t1", "k1", "2026-03-01T00:00:00.000Z"))).toBe(false);
    expect((await temp.store.read((s) => s.tokens.get("k1")))?.revoked).toBe("2026-02-01T00:00:00.000Z");
  });

  it("moves last-used times forward only", async () => {
    await temp.store.write((s) => s.tokens.recordUse(new Map([["k1", "2026-05-01T00:00:00.000Z"], ["k2", "2026-04-01T00:00:00.000Z"], ["missing", "2026-05-01T00:00:00.000Z"]])));
    await temp.store.write((s) => s.tokens.recordUse(new Map([["k1", "2026-04-15T00:00:00.000Z"], ["k2", "2026-04-02T00:00:00.000Z"]])));
    expect((await temp.store.read((s) => s.tokens.get("k1")))?.lastUsed).toBe("2026-05-01T00:00:00.000Z");
    expect((await temp.store.read((s) => s.tokens.get("k2")))?.lastUsed).toBe("2026-04-02T00:00:00.000Z");
  });
});

describe("settings", () => {
  it("keeps the first value set and returns what is stored", async () => {
    expect(await temp.store.read((s) => s.settings.get("cursor-key"))).toBeUndefined();
    expect(await temp.store.write((s) => s.settings.setIfAbsent("cursor-key", "first"))).toBe("first");
    expect(await temp.store.write((s) => s.settings.setIfAbsent("cursor-key", "second"))).toBe("first");
    expect(await temp.store.read((s) => s.settings.get("cursor-key"))).toBe("first");
  });
});
