import { appPaths } from "./openapi-app-paths.js";
import { operation } from "./openapi-operation.js";
import { parameters, ref, responses, schemas } from "./openapi-schemas.js";
import type { OpenApiDocument, Operation, Parameter } from "./openapi-types.js";

/*
 * The admin API as an OpenAPI 3.1 document, served at GET /api/openapi.json. A test compares its
 * paths and methods with the routes Fastify registered under /api, so neither can drift.
 */

const list = ["count", "cursor"];
const directory = ["slug", "q", "filter", "sortBy", "sortOrder", ...list];
const signedIn = ["Signed in; the response sets the httpOnly `muster_session` cookie.", "SessionInfo"] as const;

const auditFilters = ["auditAction", "auditOutcome", "actorKind", "actorId", "actor", "tenant", "since", "until", "auditQ"];

/** GET /audit/export: the same filters, every matching event as one download in CSV or JSON. */
function exportOperation(): Operation {
  const base = operation("get", {
    id: "exportAuditEvents",
    summary: "Download every matching audit event as CSV or JSON",
    description:
      "Streamed newest first with `Content-Disposition: attachment`. CSV: a header row, then a row per event (RFC 4180; cells starting with =, +, -, @, tab or CR get a leading ' so spreadsheets do not run them); `details` is a JSON text. JSON: one array of AuditEvent. The export is recorded as audit.exported.",
    tag: "audit",
    parameters: ["exportFormat", ...auditFilters],
    ok: { "200": ["The events."] },
    errors: ["Invalid"],
  });
  const events = { type: "array", items: ref("schemas", "AuditEvent") };
  return { ...base, responses: { ...base.responses, "200": { description: "The events, as a download.", content: { "text/csv": { schema: { type: "string" } }, "application/json": { schema: events } } } } };
}

const paths: OpenApiDocument["paths"] = {
  "/openapi.json": {
    get: operation("get", { id: "getOpenApi", summary: "This document", tag: "meta", public: true, ok: { "200": ["The OpenAPI 3.1 document of the admin API.", { type: "object" }] } }),
  },
  "/session": {
    get: operation("get", { id: "getSession", summary: "The signed-in admin and the session's CSRF token", tag: "session", ok: { "200": ["Signed in.", "SessionInfo"] } }),
    post: operation("post", { id: "signIn", summary: "Sign in", tag: "session", public: true, body: "LoginRequest", ok: { "200": signedIn, "401": ["credentials: wrong email or password.", "ApiError"] }, errors: ["Invalid", "Throttled"] }),
    delete: operation("delete", { id: "signOut", summary: "Sign out (clears the cookie)", tag: "session", ok: { "204": ["Signed out."] } }),
  },
  "/session/password": {
    put: operation("put", { id: "changePassword", summary: "Change the signed-in admin's password; the admin's other sessions end", tag: "session", body: "ChangePasswordRequest", ok: { "204": ["Changed."] }, errors: ["Invalid", "Throttled"] }),
  },
  "/setup/{token}": {
    get: operation("get", { id: "getSetupLink", summary: "What a one-time setup link is for", tag: "session", public: true, parameters: ["setupToken"], ok: { "200": ["The link is valid.", "SetupLinkInfo"], "410": ["setup_link_invalid: unknown, used or expired.", "ApiError"] } }),
    post: operation("post", {
      id: "completeSetup",
      summary: "Choose the password (and, for the first-admin link, the email); signs in and uses the link up",
      tag: "session",
      public: true,
      parameters: ["setupToken"],
      body: "SetupRequest",
      ok: { "200": signedIn, "410": ["setup_link_invalid: unknown, used or expired.", "ApiError"] },
      errors: ["Invalid", "Conflict"],
    }),
  },
  "/tenants": {
    get: operation("get", { id: "listTenants", summary: "Every tenant, by slug", tag: "tenants", ok: { "200": ["The tenants.", { type: "array", items: ref("schemas", "Tenant") }] } }),
    post: operation("post", { id: "createTenant", summary: "Create a tenant", tag: "tenants", body: "CreateTenantRequest", ok: { "201": ["Created.", "Tenant"] }, errors: ["Invalid", "Conflict"] }),
  },
  "/tenants/{slug}": {
    get: operation("get", { id: "getTenant", summary: "A tenant", tag: "tenants", parameters: ["slug"], ok: { "200": ["The tenant.", "Tenant"] }, errors: ["NotFound"] }),
    patch: operation("patch", { id: "renameTenant", summary: "Rename a tenant (its slug and SCIM base URL stay)", tag: "tenants", parameters: ["slug"], body: "RenameTenantRequest", ok: { "200": ["Renamed.", "Tenant"] }, errors: ["Invalid", "NotFound"] }),
    delete: operation("delete", {
      id: "deleteTenant",
      summary: "Delete a tenant and all its data",
      description: "Users, groups, memberships, tokens and activity go in one transaction. `confirm` must repeat the slug.",
      tag: "tenants",
      parameters: ["slug"],
      body: "DeleteTenantRequest",
      ok: { "204": ["Deleted."] },
      errors: ["Invalid", "NotFound"],
    }),
  },
  "/tenants/{slug}/tokens": {
    get: operation("get", { id: "listTokens", summary: "A tenant's SCIM tokens, newest first", tag: "tokens", parameters: ["slug"], ok: { "200": ["The tokens (masked).", { type: "array", items: ref("schemas", "TokenSummary") }] }, errors: ["NotFound"] }),
    post: operation("post", { id: "createToken", summary: "Create a SCIM token; its secret is shown this once", tag: "tokens", parameters: ["slug"], body: "CreateTokenRequest", ok: { "201": ["Created.", "CreatedToken"] }, errors: ["Invalid", "NotFound"] }),
  },
  "/tenants/{slug}/tokens/{id}": {
    delete: operation("delete", { id: "revokeToken", summary: "Revoke a token (SCIM refuses it within seconds, on this server at once)", tag: "tokens", parameters: ["slug", "id"], ok: { "204": ["Revoked."] }, errors: ["NotFound"] }),
  },
  "/tenants/{slug}/users": {
    get: operation("get", { id: "listUsers", summary: "Users: search, filter, sort and page (default order: last modified, newest first)", tag: "directory", parameters: directory, ok: { "200": ["A page of users.", "PageOfUserRow"] }, errors: ["Invalid", "NotFound"] }),
  },
  "/tenants/{slug}/users/{id}": {
    get: operation("get", { id: "getUser", summary: "A user as SCIM returns it, with its groups", tag: "directory", parameters: ["slug", "id"], ok: { "200": ["The user.", "UserDetail"] }, errors: ["NotFound"] }),
  },
  "/tenants/{slug}/groups": {
    get: operation("get", { id: "listGroups", summary: "Groups with member counts: search, filter, sort and page (default order: displayName)", tag: "directory", parameters: directory, ok: { "200": ["A page of groups.", "PageOfGroupRow"] }, errors: ["Invalid", "NotFound"] }),
  },
  "/tenants/{slug}/groups/{id}": {
    get: operation("get", { id: "getGroup", summary: "A group as SCIM returns it, without members, and its member count", tag: "directory", parameters: ["slug", "id"], ok: { "200": ["The group.", "GroupDetail"] }, errors: ["NotFound"] }),
  },
  "/tenants/{slug}/groups/{id}/members": {
    get: operation("get", { id: "listMembers", summary: "A group's direct members, a page at a time", tag: "directory", parameters: ["slug", "id", ...list], ok: { "200": ["A page of members.", "PageOfMemberRow"] }, errors: ["Invalid", "NotFound"] }),
  },
  "/tenants/{slug}/activity": {
    get: operation("get", { id: "listActivity", summary: "The tenant's SCIM requests, newest first", tag: "activity", parameters: ["slug", "outcome", "tokenId", "resource", ...list], ok: { "200": ["A page of activity.", "PageOfActivityEntry"] }, errors: ["Invalid", "NotFound"] }),
  },
  "/audit": {
    get: operation("get", {
      id: "listAuditEvents",
      summary: "The audit log: administrative actions, newest first",
      description: "Every sign-in (failed ones too), password change, admin, setup link, tenant and token change, by admins, commands on the server and the server itself. Every filter given must hold.",
      tag: "audit",
      parameters: auditFilters.concat(list),
      ok: { "200": ["A page of events.", "PageOfAuditEvent"] },
      errors: ["Invalid"],
    }),
  },
  "/audit/export": {
    get: exportOperation(),
  },
  "/node/health": {
    get: operation("get", {
      id: "getNodeHealth",
      summary: "This server process's health over the last hour, sampled every 10 seconds",
      description: "Request rates by status class, SCIM latency and errors, rate-limit rejections, group commits, the activity buffer, event-loop delay and memory, from the node's own metrics. Each node answers for itself and keeps its samples in memory only.",
      tag: "health",
      ok: { "200": ["The samples, oldest first.", "NodeHealth"] },
    }),
  },
  ...appPaths,
  "/tenants/{slug}/stats": {
    get: operation("get", { id: "getStats", summary: "Users, active users, groups, and SCIM requests and errors of the last 24 hours", tag: "activity", parameters: ["slug"], ok: { "200": ["The numbers.", "TenantStats"] }, errors: ["NotFound"] }),
  },
};

/** The admin API document (shared/admin-api.ts in OpenAPI 3.1), for a server whose public URL is `publicUrl`. */
export function openApiDocument(publicUrl: string): OpenApiDocument {
  return {
    openapi: "3.1.0",
    info: {
      title: "Muster admin API",
      version: "1",
      description:
        "JSON API of the Muster console, usable by scripts. Sign in with POST /session to get the `muster_session` cookie; send it with every request, and on POST, PUT, PATCH and DELETE also the header X-CSRF-Token with the session's csrfToken. Errors are ApiError bodies. Lists are pages: pass nextCursor as cursor for the next one.",
    },
    servers: [{ url: `${publicUrl}/api` }],
    tags: [
      { name: "session", description: "Signing in and out, setup links, passwords." },
      { name: "tenants", description: "Tenants: one directory and SCIM base URL each." },
      { name: "tokens", description: "SCIM client tokens." },
      { name: "directory", description: "Read-only views of a tenant's users and groups." },
      { name: "activity", description: "SCIM requests received, and the Overview numbers." },
      { name: "apps", description: "Outbound apps: SCIM services a tenant's users and groups are provisioned into, their status, logs and staged actions." },
      { name: "audit", description: "Administrative actions: who did what, when, from where, and how it ended." },
      { name: "health", description: "The answering node's own health." },
      { name: "meta", description: "This document." },
    ],
    security: [{ session: [] }],
    paths,
    components: {
      schemas,
      parameters: parameters as Readonly<Record<string, Parameter>>,
      responses,
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "muster_session", description: "The session cookie set by POST /session (httpOnly, SameSite=Strict)." },
        csrf: { type: "apiKey", in: "header", name: "X-CSRF-Token", description: "The csrfToken of the session (GET /session); required on POST, PUT, PATCH and DELETE." },
      },
    },
  };
}
