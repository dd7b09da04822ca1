import type { TokenAuthenticator } from "../provisioning/authenticator.js";
import { isTokenId, maskToken, mintToken, parseToken, type IssuedToken } from "../provisioning/tokens.js";
import type { Store, TenantRecord, TokenRecord } from "../store/store.js";
import { adminError } from "./admin-error.js";
import { auditFailures, recordSuccess, tenantOfEvent, type AuditActor, type AuditFacts, type AuditTarget } from "./audit-trail.js";

/** A token just issued, with the tenant it belongs to. */
export interface IssuedClientToken extends IssuedToken {
  readonly tenant: TenantRecord;
}

/** A token as an audit event names it: its id, and its client's name as label. */
function tokenTarget(token: TokenRecord): AuditTarget {
  return { kind: "scim_token", id: token.id, label: token.clientName };
}

/**
 * Issues a SCIM token for a named client of the tenant with this slug, audited as `scim_token.created`
 * (with the client's name and the masked token); the secret is in the result and nowhere else.
 */
export async function issueClientToken(store: Store, actor: AuditActor, slug: string, clientName: string, now: Date = new Date()): Promise<IssuedClientToken> {
  const attempt: AuditFacts = { actor, action: "scim_token.created", target: { kind: "scim_token", id: null, label: clientName.trim() }, tenant: { id: null, slug } };
  return auditFailures(store, attempt, () => now, async () => {
    const name = clientName.trim();
    if (name === "" || name.length > 200) throw adminError("invalid", "The client name must be 1-200 characters.", { field: "clientName" });
    return store.write(async (session) => {
      const tenant = await session.tenants.bySlug(slug);
      if (!tenant) throw adminError("not_found", `There is no tenant "${slug}".`);
      const issued = mintToken(tenant, name, now);
      await session.tokens.create(issued.record);
      const details = { clientName: issued.record.clientName, maskedToken: maskToken(issued.record.hint) };
      await recordSuccess(session, { actor, action: "scim_token.created", target: tokenTarget(issued.record), tenant: tenantOfEvent(tenant), details }, now);
      return { ...issued, tenant };
    });
  });
}

/** A tenant's tokens, newest first, revoked ones included. */
export async function listClientTokens(store: Store, tenant: TenantRecord): Promise<TokenRecord[]> {
  const tokens = await store.read((session) => session.tokens.list(tenant.id));
  return tokens.reverse();
}

/**
 * Revokes a token of the tenant with this slug, audited as `scim_token.revoked`; this process stops
 * accepting it at once (the authenticator forgets its cache), other processes within their cache time.
 * An unknown or already revoked token is `not_found`. Given a whole token instead of its id, only the id
 * part is recorded; anything else that is not shaped like an id is not recorded at all (it may be a secret).
 */
export async function revokeClientToken(store: Store, authenticator: TokenAuthenticator | undefined, actor: AuditActor, slug: string, tokenId: string, now: Date = new Date()): Promise<void> {
  const recordedId = isTokenId(tokenId) ? tokenId : (parseToken(tokenId)?.id ?? null);
  const attempt: AuditFacts = { actor, action: "scim_token.revoked", target: { kind: "scim_token", id: recordedId, label: null }, tenant: { id: null, slug } };
  await auditFailures(store, attempt, () => now, async () => {
    await store.write(async (session) => {
      const tenant = await session.tenants.bySlug(slug);
      if (!tenant) throw adminError("not_found", `There is no tenant "${slug}".`);
      const token = isTokenId(tokenId) ? await session.tokens.get(tokenId) : undefined;
      if (!token || token.tenantId !== tenant.id || !(await session.tokens.revoke(tenant.id, token.id, now.toISOString()))) {
        throw adminError("not_found", `Tenant "${slug}" has no active token ${recordedId === null ? "with that id" : `"${recordedId}"`}.`);
      }
      const details = { clientName: token.clientName, maskedToken: maskToken(token.hint) };
      await recordSuccess(session, { actor, action: "scim_token.revoked", target: tokenTarget(token), tenant: tenantOfEvent(tenant), details }, now);
    });
    await authenticator?.invalidate();
  });
}
