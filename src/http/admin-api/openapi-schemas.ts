import { auditActions, auditAreas, passwordRules } from "../../../shared/admin-api.js";
import { appParameters, appSchemas } from "./openapi-app-schemas.js";
import type { JsonSchema, Parameter, Reference, Response } from "./openapi-types.js";

/*
 * Component schemas of the admin API document: one per type of shared/admin-api.ts, with the same
 * field names, so the contract and the document can be compared by eye. Times are ISO 8601 strings;
 * absent values are null, never omitted (every property is required).
 */

/** A `$ref` to a component schema, parameter or response. */
export function ref(kind: "schemas" | "parameters" | "responses", name: string): Reference {
  return { $ref: `#/components/${kind}/${name}` };
}

const time: JsonSchema = { type: "string", format: "date-time", examples: ["2026-11-28T20:01:02.345Z"] };
const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, type: [schema.type, "null"] });
const object = (properties: Record<string, JsonSchema>, description: string, optional: readonly string[] = []): JsonSchema => ({
  type: "object",
  description,
  properties,
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  additionalProperties: false,
});

/** Page<T> of shared/admin-api.ts for an item schema. */
export function pageOf(item: string): JsonSchema {
  return object(
    {
      items: { type: "array", items: ref("schemas", item) },
      total: { type: "integer", minimum: 0, description: "How many items match in all." },
      nextCursor: { type: ["string", "null"], description: "Pass as `cursor` for the next page; null on the last page." },
    },
    `One page of ${item} rows.`,
  );
}

const apiErrorCodes = ["unauthenticated", "csrf", "invalid", "credentials", "throttled", "not_found", "conflict", "setup_link_invalid", "internal"];
const activityResources = ["Users", "Groups", "Bulk", "Search", "Discovery", "Other"];
const auditActorKinds = ["admin", "api_key", "cli", "system", "anonymous"];
const label = { type: ["string", "null"] } as const;
const rate: JsonSchema = { type: "number", minimum: 0, description: "Per second." };
const quantile: JsonSchema = { type: ["number", "null"], minimum: 0 };

/** Every component schema. */
export const schemas: Readonly<Record<string, JsonSchema>> = {
  ApiError: object(
    {
      error: object(
        {
          code: { type: "string", enum: apiErrorCodes, description: "Stable, for programs." },
          message: { type: "string", description: "A sentence for people." },
          field: { type: ["string", "null"], description: "The request field the error is about." },
          problems: {
            type: "array",
            description: "Only when an app's settings were refused: every problem with the setting's path.",
            items: object({ path: { type: "string", examples: ["userMappings[3].expression"] }, message: { type: "string" } }, "One problem."),
          },
        },
        "What went wrong.",
        ["problems"],
      ),
    },
    "Every error of the admin API.",
  ),
  Admin: object({ id: { type: "string" }, email: { type: "string", format: "email" }, createdAt: time, passwordChangedAt: nullable(time) }, "An admin account."),
  SessionInfo: object(
    { admin: ref("schemas", "Admin"), csrfToken: { type: "string", description: "Send as X-CSRF-Token on every state-changing request." }, expiresAt: { ...time, description: "Idle expiry." } },
    "The signed-in admin.",
  ),
  LoginRequest: object({ email: { type: "string" }, password: { type: "string" } }, "Sign-in."),
  SetupLinkInfo: object({ email: { type: ["string", "null"], description: "null for the first-admin link: whoever opens it chooses the email." }, expiresAt: time }, "What a setup link is for."),
  SetupRequest: object({ email: { type: "string" }, password: { type: "string", minLength: passwordRules.minLength, maxLength: passwordRules.maxLength } }, "Completes a setup link.", ["email"]),
  ChangePasswordRequest: object(
    { currentPassword: { type: "string" }, newPassword: { type: "string", minLength: passwordRules.minLength, maxLength: passwordRules.maxLength } },
    "Changes the signed-in admin's password; the admin's other sessions end.",
  ),
  Tenant: object({ slug: { type: "string", pattern: "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$" }, name: { type: "string" }, createdAt: time, scimBaseUrl: { type: "string", format: "uri" } }, "A tenant: one directory with one SCIM base URL."),
  CreateTenantRequest: object({ slug: { type: "string", pattern: "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$" }, name: { type: "string", minLength: 1, maxLength: 200 } }, "A new tenant; the name defaults to the slug.", ["name"]),
  RenameTenantRequest: object({ name: { type: "string", minLength: 1, maxLength: 200 } }, "A tenant's new display name."),
  DeleteTenantRequest: object({ confirm: { type: "string", description: "Must repeat the slug." } }, "Confirms deleting a tenant and all its data."),
  TokenSummary: object(
    {
      id: { type: "string" },
      clientName: { type: "string" },
      maskedToken: { type: "string", examples: ["mst_••••••••Xy3k"] },
      createdAt: time,
      lastUsedAt: nullable(time),
      revokedAt: nullable(time),
    },
    "A SCIM client token as listed; its secret is never shown again.",
  ),
  CreateTokenRequest: object({ clientName: { type: "string", minLength: 1, maxLength: 200 } }, "A new token for a named SCIM client."),
  CreatedToken: object({ token: { type: "string", description: "The secret: shown this once." }, summary: ref("schemas", "TokenSummary"), scimBaseUrl: { type: "string", format: "uri" } }, "A token just created."),
  UserRow: object(
    {
      id: { type: "string" },
      userName: { type: "string" },
      name: { type: ["string", "null"], description: "name.formatted, else givenName + familyName, else displayName." },
      email: { type: ["string", "null"], description: "The primary email, else the first." },
      active: { type: "boolean" },
      lastModified: time,
    },
    "A row of the Users table.",
  ),
  UserDetail: object(
    {
      resource: { type: "object", description: "The user exactly as SCIM returns it (all attributes, groups, meta)." },
      groups: { type: "array", items: object({ id: { type: "string" }, displayName: { type: "string" } }, "A direct group.") },
    },
    "A user's detail.",
  ),
  GroupRow: object({ id: { type: "string" }, displayName: { type: "string" }, externalId: { type: ["string", "null"] }, memberCount: { type: "integer", minimum: 0 }, lastModified: time }, "A row of the Groups table."),
  GroupDetail: object({ resource: { type: "object", description: "The group as SCIM returns it, without members." }, memberCount: { type: "integer", minimum: 0 } }, "A group's detail; members are paged separately."),
  MemberRow: object({ id: { type: "string" }, type: { type: "string", enum: ["User", "Group"] }, display: { type: ["string", "null"] } }, "A direct member of a group."),
  ActivityEntry: object(
    {
      id: { type: "string" },
      at: time,
      tokenId: { type: ["string", "null"], description: "The token used when recognised (also a revoked one)." },
      clientName: { type: ["string", "null"] },
      method: { type: "string" },
      path: { type: "string", description: "Under the tenant's SCIM base URL, without the query." },
      resource: { type: "string", enum: activityResources },
      status: { type: "integer" },
      outcome: { type: "string", enum: ["success", "failure"] },
      errorCode: { type: ["string", "null"], description: "For failures: the SCIM scimType, else the error's catalogue code." },
      errorDetail: { type: ["string", "null"] },
      durationMs: { type: "number" },
      requestId: { type: "string" },
    },
    "One SCIM request a tenant received.",
  ),
  TenantStats: object(
    {
      users: { type: "integer" },
      activeUsers: { type: "integer" },
      groups: { type: "integer" },
      requests24h: { type: "integer" },
      errors24h: { type: "integer" },
      activityRetentionDays: { type: "integer" },
    },
    "The Overview numbers of a tenant.",
  ),
  AuditEvent: object(
    {
      id: { type: "string", description: "Time ordered: a later event has a greater id." },
      occurredAt: time,
      actor: object(
        {
          kind: { type: "string", enum: auditActorKinds },
          id: { type: ["string", "null"], description: "The admin's id; null for the CLI, the system and anonymous callers." },
          label: { ...label, description: "The admin's email at the time, the OS user of a command." },
        },
        "Who performed the action.",
      ),
      address: { ...label, description: "The client address (behind a trusted proxy, the forwarded one)." },
      userAgent: label,
      action: { type: "string", enum: Object.keys(auditActions) },
      target: {
        ...object({ kind: { type: "string", examples: ["tenant", "scim_token", "admin", "setup_link"] }, id: label, label }, "What the action was done to."),
        type: ["object", "null"],
      },
      tenant: { ...object({ id: { ...label, description: "null when no such tenant existed." }, slug: { type: "string" } }, "The tenant concerned, as it was."), type: ["object", "null"] },
      outcome: { type: "string", enum: ["success", "failure"] },
      reason: { ...label, description: "Why a failure failed." },
      details: { type: "object", description: "Non-secret facts of the action (names, counts, masked tokens)." },
    },
    "One administrative action; never contains a password, token, setup link, session, cookie or CSRF token.",
  ),
  NodeHealth: object(
    {
      node: object(
        {
          hostname: { type: "string" },
          pid: { type: "integer" },
          startedAt: time,
          database: { type: "string", enum: ["sqlite", "postgres"] },
          workers: { type: "integer", minimum: 1, description: "Worker processes whose requests the samples count together (MUSTER_WORKERS); 1 without workers." },
        },
        "The server process that answered (with several workers: the primary, whose samples cover all of them).",
      ),
      intervalSeconds: { type: "number", description: "Time between samples." },
      windowSeconds: { type: "number", description: "How far back samples are kept (an hour)." },
      samples: { type: "array", items: ref("schemas", "NodeHealthSample"), description: "Oldest first." },
    },
    "A node's recent health, from its own metrics; a restarted node starts without samples.",
  ),
  NodeHealthSample: object(
    {
      at: { ...time, description: "End of the interval the sample covers." },
      requestsPerSecond: object({ "2xx": rate, "3xx": rate, "4xx": rate, "5xx": rate }, "HTTP requests per second (all routes) by status class."),
      scimLatencyMs: object({ p50: quantile, p95: quantile, p99: quantile }, "SCIM latency quantiles in milliseconds, estimated from histogram buckets; null without requests."),
      scimErrorsPerSecond: object({ client: rate, server: rate }, "SCIM requests per second that failed with 4xx and with 5xx."),
      rateLimitRejectionsPerSecond: rate,
      commitGroup: {
        ...object({ writesPerCommit: { type: ["number", "null"] }, commitP95Ms: quantile }, "SQLite group commit: writes per COMMIT and the COMMIT's 95th percentile; null on PostgreSQL."),
        type: ["object", "null"],
      },
      activityBuffered: { type: "integer", minimum: 0, description: "Activity entries waiting to be written." },
      eventLoopDelayMs: object({ p99: { type: "number" }, max: { type: "number" } }, "How late the event loop ran timers, in milliseconds."),
      memory: object({ residentBytes: { type: "number" }, heapUsedBytes: { type: "number" } }, "Resident set size and V8 heap in use."),
    },
    "One sample of a node's health.",
  ),
  PageOfUserRow: pageOf("UserRow"),
  PageOfGroupRow: pageOf("GroupRow"),
  PageOfMemberRow: pageOf("MemberRow"),
  PageOfActivityEntry: pageOf("ActivityEntry"),
  PageOfAuditEvent: pageOf("AuditEvent"),
  PageOfStagedAction: pageOf("StagedAction"),
  ...appSchemas(),
};

const query = (name: string, description: string, schema: JsonSchema): Parameter => ({ name, in: "query", description, schema });

/** Reusable parameters. */
export const parameters: Readonly<Record<string, Parameter>> = {
  slug: { name: "slug", in: "path", required: true, description: "The tenant's slug.", schema: { type: "string" } },
  id: { name: "id", in: "path", required: true, description: "The id of the token, user, group or app.", schema: { type: "string" } },
  setupToken: { name: "token", in: "path", required: true, description: "The secret part of a one-time setup link.", schema: { type: "string" } },
  count: query("count", "Page size.", { type: "integer", minimum: 1, maximum: 200, default: 50 }),
  cursor: query("cursor", "The nextCursor of the previous page of the same query.", { type: "string" }),
  q: query("q", "Case-insensitive search: every word must begin a word of the userName, a name or an email (users) or of the displayName (groups), or an email domain.", { type: "string", maxLength: 200 }),
  filter: query("filter", "A SCIM filter (RFC 7644 §3.4.2.2), e.g. active eq true.", { type: "string" }),
  sortBy: query("sortBy", "A SCIM attribute path, e.g. userName or meta.lastModified.", { type: "string" }),
  sortOrder: query("sortOrder", "Default: descending for the default order of users (meta.lastModified), else ascending.", { type: "string", enum: ["ascending", "descending"] }),
  outcome: query("outcome", "Only successes or only failures.", { type: "string", enum: ["success", "failure"] }),
  tokenId: query("tokenId", "Only requests made with this token.", { type: "string" }),
  resource: query("resource", "Only requests to this part of the SCIM API.", { type: "string", enum: activityResources }),
  auditAction: query("action", "One action, or every action of an area: the area followed by .* (e.g. tenant.*).", {
    type: "string",
    enum: [...Object.keys(auditActions), ...Object.keys(auditAreas).map((area) => `${area}.*`)],
  }),
  auditOutcome: query("outcome", "Only successes or only failures.", { type: "string", enum: ["success", "failure"] }),
  actorKind: query("actorKind", "Only actions by this kind of actor.", { type: "string", enum: auditActorKinds }),
  actorId: query("actorId", "Only actions by the admin with this id.", { type: "string" }),
  actor: query("actor", "Only actions by actors whose label (email) starts with this, case-insensitively.", { type: "string", maxLength: 320 }),
  tenant: query("tenant", "Only actions concerning the tenant with this slug (deleted tenants included).", { type: "string" }),
  since: query("since", "Only actions at or after this time (ISO 8601).", { type: "string", format: "date-time" }),
  until: query("until", "Only actions before this time (ISO 8601).", { type: "string", format: "date-time" }),
  auditQ: query("q", "Case-insensitive: the actor's label, the target's label or the tenant slug starts with this.", { type: "string", maxLength: 320 }),
  ...appParameters,
  exportFormat: { name: "format", in: "query", required: true, description: "csv (a header row, then a row per event) or json (one array of AuditEvent).", schema: { type: "string", enum: ["csv", "json"] } },
};

const problem = (description: string): Response => ({ description, content: { "application/json": { schema: ref("schemas", "ApiError") } } });

/** Reusable error responses (ApiError bodies). */
export const responses: Readonly<Record<string, Response>> = {
  Invalid: problem("invalid: a field or parameter is missing or malformed (`field` names it)."),
  Unauthenticated: problem("unauthenticated: no session, or it has ended."),
  Csrf: problem("csrf: the X-CSRF-Token header is missing or wrong, or the request came from another site."),
  NotFound: problem("not_found."),
  Conflict: problem("conflict: the value is taken (`field` names it)."),
  Throttled: {
    ...problem("throttled: too many failed sign-ins."),
    headers: { "Retry-After": { description: "Seconds until a retry can succeed.", schema: { type: "integer" } } },
  },
};
