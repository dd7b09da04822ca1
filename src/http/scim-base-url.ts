/** The SCIM base URL of a tenant under a public URL (no trailing slash): `{publicUrl}/scim/v2/{slug}`. */
export function scimBaseUrl(publicUrl: string, tenantSlug: string): string {
  return `${publicUrl}/scim/v2/${encodeURIComponent(tenantSlug)}`;
}
