import type { TokenAuthenticator } from "../provisioning/authenticator.js";
import { createTenant as createTenantRecord, validateSlug } from "../provisioning/tenants.js";
import { ScimError } from "../scim/errors.js";
import type { Store, TenantRecord } from "../store/store.js";
import { adminError } from "./admin-error.js";

const maxNameLength = 200;

/** Every tenant, ordered by slug (GET /api/tenants). */
export async function listTenants(store: Store): Promise<TenantRecord[]> {
  const tenants = await store.read((session) => session.tenants.list());
  return tenants.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/** The tenant with this slug, or AdminError `not_found`. */
export async function findTenant(store: Store, slug: string): Promise<TenantRecord> {
  const tenant = await store.read((session) => session.tenants.bySlug(slug));
  if (!tenant) throw adminError("not_found", `There is no tenant "${slug}".`);
  return tenant;
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "" || trimmed.length > maxNameLength) throw adminError("invalid", `The tenant name must be 1-${maxNameLength} characters.`, { field: "name" });
  return trimmed;
}

/** Creates a tenant: `invalid` (with the field) for a bad slug or name, `conflict` when the slug is taken. */
export async function createTenant(store: Store, slug: string, name: string | undefined, now: Date = new Date()): Promise<TenantRecord> {
  const problem = validateSlug(slug);
  if (problem) throw adminError("invalid", problem, { field: "slug" });
  const displayName = name === undefined ? slug : checkedName(name);
  try {
    return await createTenantRecord(store, slug, displayName, now);
  } catch (error) {
    if (error instanceof ScimError && error.code === "uniqueness") throw adminError("conflict", `The slug "${slug}" is taken by another tenant.`, { field: "slug" });
    throw error;
  }
}

/** Changes a tenant's display name (its slug, and so its SCIM base URL, never changes). */
export async function renameTenant(store: Store, slug: string, name: string): Promise<TenantRecord> {
  const displayName = checkedName(name);
  const tenant = await findTenant(store, slug);
  const renamed = await store.write((session) => session.tenants.rename(tenant.id, displayName));
  if (!renamed) throw adminError("not_found", `There is no tenant "${slug}".`);
  return renamed;
}

/**
 * Deletes a tenant and all its data (users, groups, memberships, tokens, activity) in one transaction;
 * this process stops serving its SCIM base URL at once (the authenticator forgets its cache). `confirm`
 * must repeat the slug, so a script cannot delete a tenant by a slip of one parameter.
 */
export async function deleteTenant(store: Store, authenticator: TokenAuthenticator, slug: string, confirm: string): Promise<void> {
  if (confirm !== slug) throw adminError("invalid", `To delete tenant "${slug}" and all its data, repeat its slug in "confirm".`, { field: "confirm" });
  const tenant = await findTenant(store, slug);
  const deleted = await store.write((session) => session.tenants.delete(tenant.id));
  authenticator.invalidate();
  if (!deleted) throw adminError("not_found", `There is no tenant "${slug}".`);
}
