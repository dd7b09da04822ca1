import type { TenantStats } from "../../shared/admin-api.js";
import type { ProvisioningContext } from "../provisioning/context.js";
import { parseFilter } from "../scim/filter/parse-filter.js";
import { resolveFilter } from "../scim/filter/resolve-filter.js";
import { unwrap } from "../scim/result.js";
import type { ResourceTypeName } from "../scim/schema/attribute.js";
import type { ListQuery, StoreSession, TenantRecord } from "../store/store.js";

const dayMs = 86_400_000;

async function countOf(session: StoreSession, type: ResourceTypeName, tenantId: string, extra: Partial<ListQuery> = {}): Promise<number> {
  const page = await session.resources.list(type, tenantId, { ...extra, page: { kind: "index", startIndex: 1, count: 0 } });
  return page.totalResults;
}

/**
 * The Overview numbers of a tenant: directory counts (COUNTs over indexes) and SCIM requests of the
 * last 24 hours. A user without an `active` attribute counts as active, as the Users table shows it.
 */
export async function tenantStats(ctx: ProvisioningContext, tenant: TenantRecord, activityRetentionDays: number): Promise<TenantStats> {
  const active = unwrap(resolveFilter(unwrap(parseFilter("not (active eq false)")), ctx.registry.forType("User")));
  const since = new Date(ctx.now().getTime() - dayMs).toISOString();
  return ctx.store.read(async (session) => {
    const users = await countOf(session, "User", tenant.id);
    const activeUsers = await countOf(session, "User", tenant.id, { filter: active });
    const groups = await countOf(session, "Group", tenant.id);
    const requests = await session.activity.countSince(tenant.id, since);
    return { users, activeUsers, groups, requests24h: requests.requests, errors24h: requests.failures, activityRetentionDays };
  });
}
