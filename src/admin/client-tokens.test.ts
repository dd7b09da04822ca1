import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TokenAuthenticator } from "../provisioning/authenticator.js";
import { createTenant } from "../provisioning/tenants.js";
import type { TenantRecord } from "../store/store.js";
import { openTempStore, type TempStore } from "../store/testing/temp-store.js";
import { systemActor } from "./audit-trail.js";
import { issueClientToken, listClientTokens, revokeClientToken } from "./client-tokens.js";

const actor = systemActor("test");
let temp: TempStore;
let acme: TenantRecord;
let other: TenantRecord;
beforeEach(async () => {
  temp = await openTempStore();
  acme = await createTenant(temp.store, "acme", undefined);
  other = await createTenant(temp.store, "other", undefined);
});
afterEach(() => temp.dispose());

describe("client tokens", () => {
  it("issues a token whose secret is returned once and lists tokens newest first", async () => {
    const first = await issueClientToken(temp.store, actor, "acme", " Azure AD SCIM ", new Date("2026-01-01T00:00:00.000Z"));
    const second = await issueClientToken(temp.store, actor, "acme", "Okta", new Date("2026-01-02T00:00:00.000Z"));
    expect(first.token).toMatch(/^mst_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    expect(first.record.clientName).toBe("Azure AD SCIM");
    expect((await listClientTokens(temp.store, acme)).map((t) => t.id)).toEqual([second.record.id, first.record.id]);
    expect(await listClientTokens(temp.store, other)).toEqual([]);
  });

  it("refuses an empty or overlong client name naming the field", async () => {
    await expect(issueClientToken(temp.store, actor, "acme", " ")).rejects.toMatchObject({ code: "invalid", field: "clientName" });
    await expect(issueClientToken(temp.store, actor, "acme", "x".repeat(201))).rejects.toMatchObject({ code: "invalid", field: "clientName" });
  });

  it("revokes so that this process refuses the token at once, despite its cache", async () => {
    const authenticator = new TokenAuthenticator(temp.store, { cacheMillis: 60_000, flushMillis: 60_000 });
    const issued = await issueClientToken(temp.store, actor, "acme", "Okta");
    await expect(authenticator.authenticate("acme", `Bearer ${issued.token}`)).resolves.toMatchObject({ token: { id: issued.record.id } });
    await revokeClientToken(temp.store, authenticator, actor, "acme", issued.record.id);
    await expect(authenticator.authenticate("acme", `Bearer ${issued.token}`)).rejects.toMatchObject({ status: 401 });
    expect((await listClientTokens(temp.store, acme))[0]?.revoked).toBeDefined();
    await authenticator.stop();
  });

  it("answers not_found for an unknown, already revoked or other tenant's token", async () => {
    const authenticator = new TokenAuthenticator(temp.store, { cacheMillis: 0, flushMillis: 60_000 });
    const issued = await issueClientToken(temp.store, actor, "acme", "Okta");
    await expect(revokeClientToken(temp.store, authenticator, actor, "other", issued.record.id)).rejects.toMatchObject({ code: "not_found" });
    await revokeClientToken(temp.store, authenticator, actor, "acme", issued.record.id);
    await expect(revokeClientToken(temp.store, authenticator, actor, "acme", issued.record.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(revokeClientToken(temp.store, authenticator, actor, "acme", "nope")).rejects.toMatchObject({ code: "not_found" });
  });
});
