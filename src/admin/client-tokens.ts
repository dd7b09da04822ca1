import type { TokenAuthenticator } from "../provisioning/authenticator.js";
import { createToken, revokeToken, type IssuedToken } from "../provisioning/tokens.js";
import { ScimError } from "../scim/errors.js";
import type { Store, TenantRecord, TokenRecord } from "../store/store.js";
import { adminError } from "./admin-error.js";

/** Issues a SCIM token for a named client of a tenant; the secret is in the result and nowhere else. */
export async function issueClientToken(store: Store, tenant: TenantRecord, clientName: string, now: Date = new Date()): Promise<IssuedToken> {
  const name = clientName.trim();
  if (name === "" || name.length > 200) throw adminError("invalid", "The client name must be 1-200 characters.", { field: "clientName" });
  return createToken(store, tenant, name, now);
}

/** A tenant's tokens, newest first, revoked ones included. */
export async function listClientTokens(store: Store, tenant: TenantRecord): Promise<TokenRecord[]> {
  const tokens = await store.read((session) => session.tokens.list(tenant.id));
  return tokens.reverse();
}

/**
 * Revokes a token; this process stops accepting it at once (the authenticator forgets its cache),
 * other processes within their cache time. An unknown or already revoked token is `not_found`.
 */
export async function revokeClientToken(store: Store, authenticator: TokenAuthenticator, tenant: TenantRecord, tokenId: string, now: Date = new Date()): Promise<void> {
  try {
    await revokeToken(store, tenant, tokenId, now);
  } catch (error) {
    if (error instanceof ScimError && error.code === "notFound") throw adminError("not_found", `Tenant "${tenant.slug}" has no active token "${tokenId}".`);
    throw error;
  }
  authenticator.invalidate();
}
