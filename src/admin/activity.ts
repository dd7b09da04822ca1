import type { ProvisioningContext } from "../provisioning/context.js";
import { fail, ok, type Result } from "../scim/result.js";
import type { ActivityFilter, ActivityOutcome, ActivityRecord, ActivityResource, TenantRecord } from "../store/store.js";
import { adminError, type AdminError } from "./admin-error.js";
import { nextCursorOf, oneOfParameter, optionalParameter, parsePageStart, type PageStart, type RawQuery } from "./paging.js";

/** The resource kinds an entry can have, in the order the console offers them. */
export const activityResources: readonly ActivityResource[] = ["Users", "Groups", "Bulk", "Search", "Discovery", "Other"];
/** The outcomes an entry can have. */
export const activityOutcomes: readonly ActivityOutcome[] = ["success", "failure"];

/** A validated activity list request. */
export interface ActivityListRequest {
  readonly filter: ActivityFilter;
  readonly page: PageStart;
}

/** One page of activity, newest first. */
export interface ActivityListPage {
  readonly records: readonly ActivityRecord[];
  readonly total: number;
  readonly nextCursor: string | null;
}


/** Parses GET /api/tenants/{slug}/activity's query (shared/admin-api.ts ActivityQuery). */
export function parseActivityQuery(ctx: ProvisioningContext, tenant: TenantRecord, query: RawQuery): Result<ActivityListRequest, AdminError> {
  const outcome = oneOfParameter(query, "outcome", activityOutcomes);
  if (!outcome.ok) return outcome;
  const resource = oneOfParameter(query, "resource", activityResources);
  if (!resource.ok) return resource;
  const tokenId = optionalParameter(query, "tokenId");
  if (!tokenId.ok) return tokenId;
  const filter: ActivityFilter = {
    ...(outcome.value ? { outcome: outcome.value } : {}),
    ...(resource.value ? { resource: resource.value } : {}),
    ...(tokenId.value ? { tokenId: tokenId.value } : {}),
  };
  const page = parsePageStart(query, ctx.cursors, JSON.stringify(["activity", tenant.id, filter.outcome ?? "", filter.resource ?? "", filter.tokenId ?? ""]));
  if (!page.ok) return page;
  return ok({ filter, page: page.value });
}

/** A page of a tenant's SCIM requests, newest first; `total` counts every entry matching the filter. */
export async function listActivity(ctx: ProvisioningContext, tenant: TenantRecord, request: ActivityListRequest): Promise<ActivityListPage> {
  const { page } = request;
  const result = await ctx.store.read((session) =>
    session.activity.list(tenant.id, request.filter, { count: page.count, ...(page.after ? { before: page.after.id } : {}) }),
  );
  return { records: result.records, total: result.total, nextCursor: nextCursorOf(ctx.cursors, page, result.next === undefined ? undefined : { sortValue: null, id: result.next }) };
}
