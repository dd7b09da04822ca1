import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TokenAuthenticator } from "../provisioning/authenticator.js";
import { createToken } from "../provisioning/tokens.js";
import { insertResource, openTempStore, type TempStore } from "../store/testing/temp-store.js";
import { systemActor } from "./audit-trail.js";
import { createTenant, deleteTenant, findTenant, listTenants, renameTenant } from "./tenants.js";

const actor = systemActor("test");
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.dispose());

describe("tenants", () => {
  it("creates tenants (the name defaults to the slug) and lists them by slug", async () => {
    await createTenant(temp.store, actor, "zeta", "Zeta Inc", new Date("2026-01-01T00:00:00.000Z"));
    await createTenant(temp.store, actor, "acme", undefined);
    expect((await listTenants(temp.store)).map((t) => [t.slug, t.name])).toEqual([["acme", "acme"], ["zeta", "Zeta Inc"]]);
    expect((await findTenant(temp.store, "zeta")).created).toBe("2026-01-01T00:00:00.000Z");
  });

  it("refuses a malformed slug or name with invalid naming the field, a taken slug with conflict", async () => {
    await createTenant(temp.store, actor, "acme", undefined);
    await expect(createTenant(temp.store, actor, "Acme Corp", undefined)).rejects.toMatchObject({ code: "invalid", field: "slug" });
    await expect(createTenant(temp.store, actor, "beta", "  ")).rejects.toMatchObject({ code: "invalid", field: "name" });
    await expect(createTenant(temp.store, actor, "acme", "Again")).rejects.toMatchObject({ code: "conflict", field: "slug", message: 'The slug "acme" is taken by another tenant.' });
  });

  it("renames, trimming the name; an unknown tenant is not_found", async () => {
    await createTenant(temp.store, actor, "acme", undefined);
    expect((await renameTenant(temp.store, actor, "acme", "  Acme Corp ")).name).toBe("Acme Corp");
    expect((await findTenant(temp.store, "acme")).name).toBe("Acme Corp");
    await expect(renameTenant(temp.store, actor, "nope", "X")).rejects.toMatchObject({ code: "not_found" });
    await expect(renameTenant(temp.store, actor, "acme", "")).rejects.toMatchObject({ code: "invalid", field: "name" });
  });

  it("deletes only when confirm repeats the slug, with all the tenant's data; SCIM stops at once", async () => {
    const acme = await createTenant(temp.store, actor, "acme", undefined);
    const authenticator = new TokenAuthenticator(temp.store, { cacheMillis: 60_000, flushMillis: 60_000 });
    const { token } = await createToken(temp.store, acme, "Okta");
    await authenticator.authenticate("acme", `Bearer ${token}`);
    await insertResource(temp.store, acme.id, "User", { userName: "a@x" });
    await expect(deleteTenant(temp.store, authenticator, actor, "acme", "ACME")).rejects.toMatchObject({ code: "invalid", field: "confirm" });
    expect(await findTenant(temp.store, "acme")).toEqual(acme);
    await deleteTenant(temp.store, authenticator, actor, "acme", "acme");
    await expect(authenticator.authenticate("acme", `Bearer ${token}`)).rejects.toMatchObject({ status: 401 });
    await authenticator.stop();
    await expect(findTenant(temp.store, "acme")).rejects.toMatchObject({ code: "not_found" });
    expect(await temp.store.read((s) => s.resources.list("User", acme.id, { page: { kind: "index", startIndex: 1, count: 10 } }))).toMatchObject({ totalResults: 0 });
    await expect(deleteTenant(temp.store, new TokenAuthenticator(temp.store, { cacheMillis: 0, flushMillis: 60_000 }), actor, "acme", "acme")).rejects.toMatchObject({ code: "not_found" });
  });
});
