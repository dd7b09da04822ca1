import type { ProvisioningContext } from "../provisioning/context.js";
import { parseFilter } from "../scim/filter/parse-filter.js";
import { resolveFilter } from "../scim/filter/resolve-filter.js";
import type { ResolvedFilter } from "../scim/filter/resolved.js";
import { parseListQuery, type SortRequest } from "../scim/list-request.js";
import { fail, ok, type Result } from "../scim/result.js";
import type { ResourceSchema } from "../scim/schema/registry.js";
import type { TenantRecord } from "../store/store.js";
import { adminError, type AdminError } from "./admin-error.js";
import { optionalParameter, parsePageStart, type PageStart, type RawQuery } from "./paging.js";

/** The longest search text accepted. */
const maxSearchLength = 200;

/** A validated Users or Groups list request of the console (shared/admin-api.ts DirectoryQuery). */
export interface DirectoryListRequest {
  /** Words of `q`; each must begin a search term of the resource. */
  readonly search: readonly string[];
  readonly filter?: ResolvedFilter;
  readonly sort: SortRequest;
  readonly page: PageStart;
}

/** Default order of each list: users by last modification, newest first; groups by name. */
const defaultSorts = { User: { sortBy: "meta.lastModified", descending: true }, Group: { sortBy: "displayName", descending: false } } as const;

function sortKey(schema: ResourceSchema, sortBy: string): Result<SortRequest, AdminError> {
  const parsed = parseListQuery(schema, { sortBy }, { defaultCount: 1, maxCount: 1 });
  if (!parsed.ok) return fail(adminError("invalid", parsed.error.detail, { field: "sortBy" }));
  if (!parsed.value.sort) return fail(adminError("invalid", `sortBy "${sortBy}" names no attribute.`, { field: "sortBy" }));
  return ok(parsed.value.sort);
}

/**
 * Parses the query of GET /api/tenants/{slug}/users or …/groups: `q` (split into words), `filter` (a
 * SCIM filter, RFC 7644 §3.4.2.2, through the SCIM parser and resolver), `sortBy` (a SCIM attribute
 * path) and `sortOrder`, `count` and `cursor`. Problems are `invalid` naming the parameter.
 */
export function parseDirectoryQuery(ctx: ProvisioningContext, tenant: TenantRecord, schema: ResourceSchema, query: RawQuery): Result<DirectoryListRequest, AdminError> {
  const q = optionalParameter(query, "q");
  if (!q.ok) return q;
  if ((q.value ?? "").length > maxSearchLength) return fail(adminError("invalid", `The search text is longer than ${maxSearchLength} characters.`, { field: "q" }));
  const search = (q.value ?? "").split(/\s+/u).filter((word) => word !== "");

  const filterText = optionalParameter(query, "filter");
  if (!filterText.ok) return filterText;
  let filter: ResolvedFilter | undefined;
  if (filterText.value !== undefined && filterText.value.trim() !== "") {
    const parsed = parseFilter(filterText.value);
    const resolved = parsed.ok ? resolveFilter(parsed.value, schema) : parsed;
    if (!resolved.ok) return fail(adminError("invalid", resolved.error.detail, { field: "filter" }));
    filter = resolved.value;
  }

  const order = optionalParameter(query, "sortOrder");
  if (!order.ok) return order;
  if (order.value !== undefined && order.value !== "" && order.value !== "ascending" && order.value !== "descending") {
    return fail(adminError("invalid", `sortOrder must be "ascending" or "descending"; got "${order.value}".`, { field: "sortOrder" }));
  }
  const sortBy = optionalParameter(query, "sortBy");
  if (!sortBy.ok) return sortBy;
  const fallback = defaultSorts[schema.name];
  const sortByText = sortBy.value === undefined || sortBy.value === "" ? fallback.sortBy : sortBy.value;
  const key = sortKey(schema, sortByText);
  if (!key.ok) return key;
  const descending = order.value === "descending" || ((order.value === undefined || order.value === "") && sortByText === fallback.sortBy && fallback.descending);
  const sort: SortRequest = { attr: key.value.attr, descending };

  // A cursor only continues the query it came from: same tenant, type, search, filter and order.
  const fingerprint = JSON.stringify([schema.name, tenant.id, search.join(" ").toLowerCase(), filterText.value ?? "", sortByText.toLowerCase(), descending]);
  const page = parsePageStart(query, ctx.cursors, fingerprint);
  if (!page.ok) return page;
  return ok({ search, ...(filter ? { filter } : {}), sort, page: page.value });
}
