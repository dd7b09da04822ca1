import type { CreatedToken, Tenant, TokenSummary } from "../../../shared/admin-api.js";
import type { IssuedToken } from "../../provisioning/tokens.js";
import { maskToken } from "../../provisioning/tokens.js";
import type { TenantRecord, TokenRecord } from "../../store/store.js";
import { scimBaseUrl } from "../scim-base-url.js";

/** A tenant as the admin API shows it, with its SCIM base URL under the public URL. */
export function presentTenant(tenant: TenantRecord, publicUrl: string): Tenant {
  return { slug: tenant.slug, name: tenant.name, createdAt: tenant.created, scimBaseUrl: scimBaseUrl(publicUrl, tenant.slug) };
}

/** A token as listed: masked, never its secret or hash. */
export function presentToken(token: TokenRecord): TokenSummary {
  return {
    id: token.id,
    clientName: token.clientName,
    maskedToken: maskToken(token.hint),
    createdAt: token.created,
    lastUsedAt: token.lastUsed ?? null,
    revokedAt: token.revoked ?? null,
  };
}

/** A token just issued: the only answer that carries its secret. */
export function presentCreatedToken(issued: IssuedToken, tenant: TenantRecord, publicUrl: string): CreatedToken {
  return { token: issued.token, summary: presentToken(issued.record), scimBaseUrl: scimBaseUrl(publicUrl, tenant.slug) };
}
