import type { FastifyReply, FastifyRequest } from "fastify";
import type { ActivityEvent } from "../admin/activity-recorder.js";
import type { ScimOperation } from "../observability/scim-metrics.js";
import type { AuthVerdict } from "../provisioning/authenticator.js";
import type { ActivityResource, TenantRecord } from "../store/store.js";

const resourceBySegment: Readonly<Record<string, ActivityResource>> = {
  users: "Users",
  groups: "Groups",
  bulk: "Bulk",
  ".search": "Search",
  serviceproviderconfig: "Discovery",
  resourcetypes: "Discovery",
  schemas: "Discovery",
};

/** The path under the tenant's base URL, without the query: `/scim/v2/acme//Users/7?x` → `/Users/7`. */
export function pathUnderBase(url: string): string {
  const path = (url.split("?")[0] ?? "").replace(/\/{2,}/g, "/");
  const rest = /^\/scim\/v2\/[^/]+(\/.*)?$/i.exec(path)?.[1] ?? "/";
  return rest.length > 1 && rest.endsWith("/") ? rest.slice(0, -1) : rest;
}

/** What a path under the base URL addresses: its first segment, case-insensitively (`/Users/.search` is Users). */
export function activityResourceOf(path: string): ActivityResource {
  const first = path.split("/")[1]?.toLowerCase() ?? "";
  return resourceBySegment[first] ?? "Other";
}

/** The existing tenant a SCIM request addressed: the authenticated one, or for a 401 the one its URL named. */
export function addressedTenant(request: FastifyRequest, rejection: AuthVerdict | undefined): TenantRecord | undefined {
  return request.principal?.tenant ?? (rejection && !rejection.ok ? rejection.tenant : undefined);
}

/**
 * What a request does with the resource its path addresses (see activityResourceOf): on /Users or
 * /Groups, GET lists and POST creates; on /Users/{id}, GET, PUT, PATCH and DELETE get, replace, patch
 * and delete; `…/.search` searches. Methods an endpoint refuses (405) and unknown paths are "other".
 */
export function scimOperationOf(method: string, resource: ActivityResource, path: string): ScimOperation {
  switch (resource) {
    case "Discovery":
      return "discovery";
    case "Bulk":
      return "bulk";
    case "Search":
      return "search";
    case "Other":
      return "other";
  }
  const slash = path.indexOf("/", 1);
  if (slash < 0) return method === "GET" ? "list" : method === "POST" ? "create" : "other";
  if (path.indexOf("/", slash + 1) >= 0) return "other";
  if (path.slice(slash + 1).toLowerCase() === ".search") return method === "POST" ? "search" : "other";
  return singleResourceOperations[method] ?? "other";
}

const singleResourceOperations: Readonly<Record<string, ScimOperation>> = { GET: "get", PUT: "replace", PATCH: "patch", DELETE: "delete" };

/**
 * The activity entry of a finished SCIM request, or undefined when the URL named no existing tenant.
 * The client is the authenticated token, or for a 401 the Muster token that was presented when it was
 * recognised (revoked, or of another tenant); failures carry the SCIM error's scimType (else its
 * catalogue code) and detail.
 */
export function scimActivityOf(request: FastifyRequest, reply: FastifyReply, rejection: AuthVerdict | undefined): ActivityEvent | undefined {
  const tenant = addressedTenant(request, rejection);
  if (!tenant) return undefined;
  const token = request.principal?.token ?? (rejection && !rejection.ok ? rejection.token : undefined);
  const path = pathUnderBase(request.url);
  const failed = reply.statusCode >= 400;
  const failure = failed ? request.failure : null;
  return {
    tenantId: tenant.id,
    tokenId: token?.id ?? null,
    clientName: token?.clientName ?? null,
    method: request.method,
    path,
    resource: activityResourceOf(path),
    status: reply.statusCode,
    outcome: failed ? "failure" : "success",
    errorCode: failure ? (failure.scimType ?? failure.code) : null,
    errorDetail: failure ? failure.detail : null,
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
    requestId: request.id,
  };
}
