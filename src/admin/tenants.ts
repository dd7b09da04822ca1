import type { TokenAuthenticator } from "../provisioning/authenticator.js";
import { insertTenant, validateSlug } from "../provisioning/tenants.js";
import { ScimError } from "../scim/errors.js";
import type { ResourceTypeName } from "../scim/schema/attribute.js";
import type { Store, StoreSession, TenantRecord } from "../store/store.js";
import { adminError } from "./admin-error.js";
import { auditFailures, recordSuccess, systemActor, tenantOfEvent, tenantTarget, type AuditActor, type AuditFacts } from "./audit-trail.js";

const maxNameLength = 200;

/** Every tenant, ordered by slug (GET /api/tenants). */
export async function listTenants(store: Store): Promise<TenantRecord[]> {
  const tenants = await store.read((session) => session.tenants.list());
  return tenants.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/** The tenant with this slug, or AdminError `not_found`. */
export async function findTenant(store: Store, slug: string): Promise<TenantRecord> {
  const tenant = await store.read((session) => session.tenants.bySlug(slug));
  if (!tenant) throw noTenant(slug);
  return tenant;
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "" || trimmed.length > maxNameLength) throw adminError("invalid", `The tenant name must be 1-${maxNameLength} characters.`, { field: "name" });
  return trimmed;
}

/** The facts of an attempt on the tenant with this slug, before it is known whether it exists. */
function attemptOn(actor: AuditActor, action: AuditFacts["action"], slug: string): AuditFacts {
  return { actor, action, target: { kind: "tenant", id: null, label: slug }, tenant: { id: null, slug } };
}

/** Creates a tenant (audited as `tenant.created`): `invalid` (with the field) for a bad slug or name, `conflict` when the slug is taken. */
export async function createTenant(store: Store, actor: AuditActor, slug: string, name: string | undefined, now: Date = new Date()): Promise<TenantRecord> {
  return auditFailures(store, attemptOn(actor, "tenant.created", slug), () => now, async () => {
    const problem = validateSlug(slug);
    if (problem) throw adminError("invalid", problem, { field: "slug" });
    const displayName = name === undefined ? slug : checkedName(name);
    try {
      return await store.write(async (session) => {
        return insertAuditedTenant(session, actor, slug, displayName, now);
      });
    } catch (error) {
      if (error instanceof ScimError && error.code === "uniqueness") throw adminError("conflict", `The slug "${slug}" is taken by another tenant.`, { field: "slug" });
      throw error;
    }
  });
}

/** Changes a tenant's display name (audited as `tenant.renamed`); its slug, and so its SCIM base URL, never changes. */
export async function renameTenant(store: Store, actor: AuditActor, slug: string, name: string, now: Date = new Date()): Promise<TenantRecord> {
  return auditFailures(store, attemptOn(actor, "tenant.renamed", slug), () => now, async () => {
    const displayName = checkedName(name);
    return store.write(async (session) => {
      const tenant = await session.tenants.bySlug(slug);
      const renamed = tenant && (await session.tenants.rename(tenant.id, displayName));
      if (!tenant || !renamed) throw noTenant(slug);
      await recordSuccess(session, { actor, action: "tenant.renamed", target: tenantTarget(renamed), tenant: tenantOfEvent(renamed), details: { oldName: tenant.name, newName: renamed.name } }, now);
      return renamed;
    });
  });
}

/**
 * Deletes a tenant and all its data (users, groups, memberships, tokens, activity) in one transaction,
 * audited as `tenant.deleted` with what it held; the audit log keeps the tenant's earlier events. This
 * process stops serving its SCIM base URL at once (the authenticator forgets its cache). `confirm` must
 * repeat the slug, so a script cannot delete a tenant by a slip of one parameter.
 */
export async function deleteTenant(store: Store, authenticator: TokenAuthenticator | undefined, actor: AuditActor, slug: string, confirm: string, now: Date = new Date()): Promise<void> {
  await auditFailures(store, attemptOn(actor, "tenant.deleted", slug), () => now, async () => {
    if (confirm !== slug) throw adminError("invalid", `To delete tenant "${slug}" and all its data, repeat its slug in "confirm".`, { field: "confirm" });
    await store.write(async (session) => {
      const tenant = await session.tenants.bySlug(slug);
      if (!tenant) throw noTenant(slug);
      const details = { name: tenant.name, users: await countOf(session, "User", tenant.id), groups: await countOf(session, "Group", tenant.id), tokens: (await session.tokens.list(tenant.id)).length };
      if (!(await session.tenants.delete(tenant.id))) throw noTenant(slug);
      await recordSuccess(session, { actor, action: "tenant.deleted", target: tenantTarget(tenant), tenant: tenantOfEvent(tenant), details }, now);
    });
    await authenticator?.invalidate();
  });
}

/**
 * Creates tenant `default` on an empty installation, audited as `tenant.created` by the system; returns
 * it when it was created (by this call, not a concurrent one).
 */
export async function ensureDefaultTenant(store: Store, now: () => Date = () => new Date()): Promise<TenantRecord | undefined> {
  const attempt = () =>
    store.write(async (session) => {
      if ((await session.tenants.count()) > 0) return undefined;
      return insertAuditedTenant(session, systemActor("first start"), "default", "Default", now());
    });
  try {
    return await attempt();
  } catch (error) {
    // Nodes started together on an empty database all see no tenant; the ones that lose the insert find the winner's.
    if (error instanceof ScimError && error.code === "uniqueness") return attempt();
    throw error;
  }
}

/** Inserts a tenant and its `tenant.created` event in the caller's write transaction. */
async function insertAuditedTenant(session: StoreSession, actor: AuditActor, slug: string, name: string, now: Date): Promise<TenantRecord> {
  const tenant = await insertTenant(session, slug, name, now);
  await recordSuccess(session, { actor, action: "tenant.created", target: tenantTarget(tenant), tenant: tenantOfEvent(tenant), details: { name: tenant.name } }, now);
  return tenant;
}

/** A tenant's number of Users or Groups, from the counts the database keeps (no scan). */
async function countOf(session: StoreSession, type: ResourceTypeName, tenantId: string): Promise<number> {
  return (await session.resources.list(type, tenantId, { page: { kind: "index", startIndex: 1, count: 0 } })).totalResults;
}

function noTenant(slug: string) {
  return adminError("not_found", `There is no tenant "${slug}".`);
}
