import type { ActivityEntry, GroupDetail, UserDetail } from "../../../shared/admin-api.js";
import type { GroupDetailView } from "../../admin/directory.js";
import type { ResourceView } from "../../provisioning/resources.js";
import { parseProjection, projectResource } from "../../scim/resource/projection.js";
import { unwrap } from "../../scim/result.js";
import type { ResourceSchema } from "../../scim/schema/registry.js";
import type { ActivityRecord } from "../../store/store.js";
import { presentResource } from "../presenters/present-resource.js";

/** The resource exactly as a SCIM GET without attributes/excludedAttributes returns it. */
function asScim(view: ResourceView, schema: ResourceSchema, baseUrl: string): Record<string, unknown> {
  return projectResource(schema, presentResource(view, schema, baseUrl), unwrap(parseProjection(schema, {})));
}

/** A user's detail page: the SCIM resource (groups included) and its groups as id and name. */
export function presentUserDetail(view: ResourceView, schema: ResourceSchema, baseUrl: string): UserDetail {
  return {
    resource: asScim(view, schema, baseUrl),
    groups: (view.groups ?? []).map((group) => ({ id: group.value, displayName: group.display ?? "" })),
  };
}

/** A group's detail page: the SCIM resource without members (they are paged) and the member count. */
export function presentGroupDetail(detail: GroupDetailView, schema: ResourceSchema, baseUrl: string): GroupDetail {
  return { resource: asScim(detail.view, schema, baseUrl), memberCount: detail.memberCount };
}

/** One Activity row (shared/admin-api.ts ActivityEntry). */
export function presentActivity(record: ActivityRecord): ActivityEntry {
  return {
    id: record.id,
    at: record.at,
    tokenId: record.tokenId,
    clientName: record.clientName,
    method: record.method,
    path: record.path,
    resource: record.resource,
    status: record.status,
    outcome: record.outcome,
    errorCode: record.errorCode,
    errorDetail: record.errorDetail,
    durationMs: record.durationMs,
    requestId: record.requestId,
  };
}
