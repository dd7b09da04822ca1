import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TenantRecord } from "../store/store.js";
import { openTempStore, type TempStore } from "../store/testing/temp-store.js";
import { TokenAuthenticator } from "./authenticator.js";
import { createTenant } from "./tenants.js";
import { createToken, revokeToken } from "./tokens.js";

let temp: TempStore;
let authenticator: TokenAuthenticator;
let acme: TenantRecord;
let other: TenantRecord;
beforeEach(async () => {
  temp = await openTempStore();
  authenticator = new TokenAuthenticator(temp.store, { cacheMillis: 0, flushMillis: 60_000 });
  acme = await createTenant(temp.store, "acme", undefined);
  other = await createTenant(temp.store, "other", undefined);
});
afterEach(async () => {
  await authenticator.stop();
  await temp.dispose();
});

const detail = 'The bearer token is not valid for tenant "acme" (unknown, revoked or issued for another tenant).';

describe("verify", () => {
  it("accepts a valid token with its principal", async () => {
    const { token, record } = await createToken(temp.store, acme, "Okta");
    expect(await authenticator.verify("acme", `Bearer ${token}`)).toEqual({ ok: true, principal: { tenant: acme, token: record } });
  });

  it("names the presented token of a rejection only when its secret matched (revoked, other tenant)", async () => {
    const revoked = await createToken(temp.store, acme, "Azure AD SCIM");
    await revokeToken(temp.store, acme, revoked.record.id);
    const foreign = await createToken(temp.store, other, "Okta");
    const revokedVerdict = await authenticator.verify("acme", `Bearer ${revoked.token}`);
    expect(revokedVerdict).toMatchObject({ ok: false, tenant: acme, token: { id: revoked.record.id, clientName: "Azure AD SCIM" } });
    expect(await authenticator.verify("acme", `Bearer ${foreign.token}`)).toMatchObject({ ok: false, tenant: acme, token: { id: foreign.record.id } });
    const forged = `${revoked.token.slice(0, -4)}AAAA`;
    const forgedVerdict = await authenticator.verify("acme", `Bearer ${forged}`);
    expect(forgedVerdict).toMatchObject({ ok: false, tenant: acme });
    expect("token" in forgedVerdict).toBe(false);
  });

  it("gives every rejection the same 401 the client sees, whatever was recognised", async () => {
    const revoked = await createToken(temp.store, acme, "Azure AD SCIM");
    await revokeToken(temp.store, acme, revoked.record.id);
    for (const header of [`Bearer ${revoked.token}`, "Bearer mst_nonsense", "Basic abc"]) {
      const verdict = await authenticator.verify("acme", header);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect({ status: verdict.error.status, detail: verdict.error.detail, headers: verdict.error.headers }).toEqual({ status: 401, detail, headers: { "WWW-Authenticate": 'Bearer realm="muster"' } });
    }
    await expect(authenticator.authenticate("acme", `Bearer ${revoked.token}`)).rejects.toMatchObject({ status: 401, detail });
  });

  it("knows the tenant of a request without a token, and no tenant for an unknown slug", async () => {
    expect(await authenticator.verify("acme", undefined)).toMatchObject({ ok: false, tenant: acme, error: { status: 401 } });
    const unknown = await authenticator.verify("nope", "Bearer x");
    expect(unknown.ok === false && unknown.tenant).toBeUndefined();
  });
});

describe("caching", () => {
  it("looks a missing tenant up again on the next request instead of caching its absence", async () => {
    const cached = new TokenAuthenticator(temp.store, { cacheMillis: 60_000, flushMillis: 60_000 });
    try {
      // An identity provider's Test Connection reaches this node before the tenant exists (it is being created through another node).
      expect((await cached.verify("late", "Bearer mst_x_y")).ok).toBe(false);
      const late = await createTenant(temp.store, "late", undefined);
      const { token } = await createToken(temp.store, late, "Entra ID");
      expect(await cached.verify("late", `Bearer ${token}`)).toMatchObject({ ok: true, principal: { tenant: { slug: "late" } } });
    } finally {
      await cached.stop();
    }
  });
});

describe("last-used times", () => {
  it("tells its observer how many tokens each write covered, and about failed writes", async () => {
    const told: string[] = [];
    const observer = { written: (tokens: number, seconds: number) => void told.push(`written ${tokens}${seconds >= 0 ? "" : " in negative time"}`), failed: (tokens: number) => void told.push(`failed ${tokens}`) };
    const watched = new TokenAuthenticator(temp.store, { cacheMillis: 0, flushMillis: 60_000, observer });
    const first = await createToken(temp.store, acme, "Okta");
    const second = await createToken(temp.store, acme, "Entra");
    await watched.verify("acme", `Bearer ${first.token}`);
    await watched.verify("acme", `Bearer ${second.token}`);
    await watched.verify("acme", `Bearer ${first.token}`);
    await watched.flush();
    expect(told).toEqual(["written 2"]);
    await watched.verify("acme", `Bearer ${first.token}`);
    await temp.store.close();
    await expect(watched.flush()).rejects.toThrow();
    expect(told).toEqual(["written 2", "failed 1"]);
  });
});
