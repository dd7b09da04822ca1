import type { ScimError } from "../scim/errors.js";
import { scimError } from "../scim/errors.js";
import { parseSearchRequest, type ListRequest, type PagingLimits } from "../scim/list-request.js";
import { wantsAttribute } from "../scim/resource/projection.js";
import type { ResourceSchema } from "../scim/schema/registry.js";
import type { ProvisioningContext } from "./context.js";
import { listResources, type ResourceView } from "./resources.js";

/** One result of a search across resource types, with the schema it is presented with. */
export interface TypedView {
  readonly schema: ResourceSchema;
  readonly request: ListRequest;
  readonly view: ResourceView;
}

/**
 * POST {base}/.search (RFC 7644 §3.4.3): searches every resource type whose schema the request fits
 * (a filter naming userName skips Groups), Users first, then Groups, paged by index across both.
 * Cursor paging is offered per resource type only.
 */
export async function searchAllTypes(ctx: ProvisioningContext, tenantId: string, body: unknown, limits: PagingLimits): Promise<{ items: TypedView[]; totalResults: number; startIndex: number }> {
  const requests: { schema: ResourceSchema; request: ListRequest }[] = [];
  let firstError: ScimError | undefined;
  for (const schema of ctx.registry.resourceTypes) {
    const parsed = parseSearchRequest(schema, body, limits);
    if (parsed.ok) requests.push({ schema, request: parsed.value });
    else firstError ??= parsed.error;
  }
  if (requests.length === 0) throw firstError ?? scimError("invalidValue", "The search request fits no resource type.");
  const paging = requests[0]!.request.paging;
  if (paging.kind === "cursor") throw scimError("invalidValue", "Cursor paging is available on /Users/.search and /Groups/.search, not across resource types.");

  let skip = paging.startIndex - 1;
  let remaining = paging.count;
  let totalResults = 0;
  const items: TypedView[] = [];
  for (const { schema, request } of requests) {
    const target = { tenantId, type: schema.name };
    const relations = { members: wantsAttribute(schema, request.projection, "members"), groups: wantsAttribute(schema, request.projection, "groups") };
    const startIndex = skip + 1;
    const page = await listResources(ctx, target, { ...request, paging: { kind: "index", startIndex, count: remaining } }, relations);
    totalResults += page.totalResults;
    skip = Math.max(0, skip - page.totalResults);
    remaining -= page.views.length;
    for (const view of page.views) items.push({ schema, request, view });
  }
  return { items, totalResults, startIndex: paging.startIndex };
}
