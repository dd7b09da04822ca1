import { randomUUID } from "node:crypto";
import { scimError } from "../scim/errors.js";
import type { Store, StoreSession, TenantRecord } from "../store/store.js";

const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Checks a tenant slug: lower-case letters, digits and inner hyphens, at most 63 characters (it appears in URLs). */
export function validateSlug(slug: string): string | undefined {
  return slugPattern.test(slug) ? undefined : `Tenant slug "${slug}" is not valid: use 1-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit.`;
}

/** Creates a tenant; a taken slug rejects with uniqueness, a malformed one with invalidValue. */
export async function createTenant(store: Store, slug: string, name: string | undefined, now: Date = new Date()): Promise<TenantRecord> {
  const problem = validateSlug(slug);
  if (problem) throw scimError("invalidValue", problem);
  const displayName = (name ?? slug).trim();
  if (displayName === "" || displayName.length > 200) throw scimError("invalidValue", "Tenant name must be 1-200 characters.");
  return store.write((session) => insertTenant(session, slug, displayName, now));
}

/** Inserts a tenant inside a write transaction (slug and name checked already); a taken slug rejects with uniqueness. */
export async function insertTenant(session: StoreSession, slug: string, name: string, now: Date): Promise<TenantRecord> {
  if (await session.tenants.bySlug(slug)) throw scimError("uniqueness", `Tenant "${slug}" already exists.`);
  return session.tenants.create({ id: randomUUID(), slug, name, created: now.toISOString() });
}

/** Finds a tenant by slug or fails with a message for the command line. */
export async function requireTenant(store: Store, slug: string): Promise<TenantRecord> {
  const tenant = await store.read((session) => session.tenants.bySlug(slug));
  if (!tenant) throw scimError("notFound", `No tenant "${slug}". List tenants with 'muster tenants list'.`);
  return tenant;
}
