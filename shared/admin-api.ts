/**
 * The admin API contract: the JSON the Muster server serves under /api and the console (web/) uses.
 * Types only — nothing here runs. The server's OpenAPI document (/api/openapi.json) describes the
 * same routes; a test keeps the two in step.
 *
 * Conventions:
 * - Times are ISO 8601 UTC strings (`2026-11-28T20:01:02.345Z`); absent values are `null`, never omitted.
 * - Every request except the ones marked "public" needs a session cookie (`muster_session`).
 * - Every state-changing request (POST, PUT, PATCH, DELETE) also needs the header
 *   `X-CSRF-Token: <SessionInfo.csrfToken>`; without it the answer is 403 `csrf`.
 * - Errors are `ApiError` bodies with a 4xx/5xx status.
 * - Lists are `Page<T>`: `nextCursor` fetches the following page (pass it as `cursor`), null on the last.
 */

// ---------- errors ----------

/** Every error of the admin API. `code` is stable for programs, `message` is a sentence for people. */
export interface ApiError {
  readonly error: {
    readonly code: ApiErrorCode;
    readonly message: string;
    /** The request field the error is about, when there is one (forms highlight it). */
    readonly field: string | null;
    /**
     * Present only when an app's settings were refused (400 `invalid`): every problem, each with the
     * path of the setting, e.g. `{ path: "userMappings[3].expression", message: "expected \")\" …" }`.
     */
    readonly problems?: readonly SettingsProblem[];
  };
}

/** One reason an app's settings were refused: the setting's path and what is wrong with it. */
export interface SettingsProblem {
  readonly path: string;
  readonly message: string;
}

export type ApiErrorCode =
  | "unauthenticated" // 401: no session, or it expired
  | "csrf" // 403: missing or wrong X-CSRF-Token
  | "invalid" // 400: a field is missing or malformed (see `field`)
  | "credentials" // 401: wrong email or password at login
  | "throttled" // 429: too many failed logins; Retry-After says when to try again
  | "not_found" // 404
  | "conflict" // 409: e.g. a tenant slug that is taken
  | "setup_link_invalid" // 410: a setup link that is unknown, used or expired
  | "internal"; // 500

// ---------- sessions and admins (public routes marked) ----------

/** An admin account. */
export interface Admin {
  readonly id: string;
  readonly email: string;
  readonly createdAt: string;
  readonly passwordChangedAt: string | null;
}

/** The signed-in admin. GET /api/session → 200 SessionInfo, or 401 when not signed in. */
export interface SessionInfo {
  readonly admin: Admin;
  /** Send as X-CSRF-Token on every state-changing request of this session. */
  readonly csrfToken: string;
  /** When the session ends unless used again (idle timeout); it also has an absolute limit. */
  readonly expiresAt: string;
}

/** POST /api/session (public): sign in → 200 SessionInfo and the session cookie; 401 credentials; 429 throttled. */
export interface LoginRequest {
  readonly email: string;
  readonly password: string;
}
// DELETE /api/session: sign out → 204 (clears the cookie).

/**
 * GET /api/setup/{token} (public): what a one-time setup link is for → 200, or 410 setup_link_invalid.
 * `email` is null for the first-admin link `muster serve` prints on an installation without admins:
 * whoever opens it chooses the email too.
 */
export interface SetupLinkInfo {
  readonly email: string | null;
  readonly expiresAt: string;
}

/**
 * POST /api/setup/{token} (public): choose the password (and, for the first-admin link, the email) →
 * 200 SessionInfo (signed in); the link is then used up.
 */
export interface SetupRequest {
  readonly email?: string;
  readonly password: string;
}

/** PUT /api/session/password: change the signed-in admin's password → 204. Other sessions of the admin end. */
export interface ChangePasswordRequest {
  readonly currentPassword: string;
  readonly newPassword: string;
}

/** Password rules the server enforces (also shown by the console). */
export const passwordRules = { minLength: 12, maxLength: 256 } as const;

// ---------- tenants ----------

/** A tenant: one directory with one SCIM base URL. */
export interface Tenant {
  readonly slug: string;
  readonly name: string;
  readonly createdAt: string;
  readonly scimBaseUrl: string;
}
// GET /api/tenants → 200 Tenant[] (all of them, by slug)
// GET /api/tenants/{slug} → 200 Tenant

/** POST /api/tenants → 201 Tenant; 409 conflict when the slug is taken; 400 invalid. */
export interface CreateTenantRequest {
  readonly slug: string;
  readonly name?: string;
}

/** PATCH /api/tenants/{slug} → 200 Tenant. */
export interface RenameTenantRequest {
  readonly name: string;
}

/** DELETE /api/tenants/{slug} → 204; `confirm` must repeat the slug (400 invalid otherwise). Deletes all its data. */
export interface DeleteTenantRequest {
  readonly confirm: string;
}

// ---------- SCIM tokens ----------

/** A SCIM client token as listed; the secret is never shown again after creation. */
export interface TokenSummary {
  readonly id: string;
  readonly clientName: string;
  /** e.g. "mst_••••••••Xy3k": the last four characters only. */
  readonly maskedToken: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}
// GET /api/tenants/{slug}/tokens → 200 TokenSummary[] (newest first)
// DELETE /api/tenants/{slug}/tokens/{id} → 204 (revokes; SCIM stops accepting it within seconds)

/** POST /api/tenants/{slug}/tokens → 201 CreatedToken. */
export interface CreateTokenRequest {
  readonly clientName: string;
}

/** The only time a token's secret is shown. */
export interface CreatedToken {
  readonly token: string;
  readonly summary: TokenSummary;
  readonly scimBaseUrl: string;
}

// ---------- users and groups (read-only views of the SCIM directory) ----------

/** One page of a list. */
export interface Page<T> {
  readonly items: readonly T[];
  /** How many items match in all (for "1–50 of N"). */
  readonly total: number;
  readonly nextCursor: string | null;
}

/**
 * Query of GET /api/tenants/{slug}/users and …/groups: `q` is a case-insensitive search (users: in
 * userName, names and emails; groups: in displayName); `filter` is a SCIM filter (RFC 7644); `count`
 * is 1–200 (default 50); `cursor` comes from the previous page.
 */
export interface DirectoryQuery {
  readonly q?: string;
  readonly filter?: string;
  readonly sortBy?: string;
  readonly sortOrder?: "ascending" | "descending";
  readonly cursor?: string;
  readonly count?: number;
}

/** A row of the Users table. */
export interface UserRow {
  readonly id: string;
  readonly userName: string;
  /** name.formatted, else givenName + familyName, else displayName. */
  readonly name: string | null;
  /** The primary email, else the first. */
  readonly email: string | null;
  /** False only when the user's `active` is false; a user without `active` counts as active. */
  readonly active: boolean;
  readonly lastModified: string;
}
// GET /api/tenants/{slug}/users → 200 Page<UserRow> (default sort: lastModified descending)

/** GET /api/tenants/{slug}/users/{id} → 200 UserDetail. */
export interface UserDetail {
  /** The user exactly as SCIM returns it (all attributes, meta, groups). */
  readonly resource: Record<string, unknown>;
  readonly groups: readonly { readonly id: string; readonly displayName: string }[];
}

/** A row of the Groups table. */
export interface GroupRow {
  readonly id: string;
  readonly displayName: string;
  readonly externalId: string | null;
  readonly memberCount: number;
  readonly lastModified: string;
}
// GET /api/tenants/{slug}/groups → 200 Page<GroupRow> (default sort: displayName ascending)

/** GET /api/tenants/{slug}/groups/{id} → 200 GroupDetail (members are paged separately). */
export interface GroupDetail {
  /** The group as SCIM returns it, without members. */
  readonly resource: Record<string, unknown>;
  readonly memberCount: number;
}

/** A member in GET /api/tenants/{slug}/groups/{id}/members?cursor=&count= → 200 Page<MemberRow>. */
export interface MemberRow {
  readonly id: string;
  readonly type: "User" | "Group";
  /** The member's displayName (users: displayName, else userName). */
  readonly display: string | null;
}

// ---------- activity and stats ----------

/** How a SCIM request ended. */
export type ActivityOutcome = "success" | "failure";

/** One SCIM request a tenant received. */
export interface ActivityEntry {
  readonly id: string;
  readonly at: string;
  /** The token used, when it was recognised (also for a revoked token); null for unknown tokens. */
  readonly tokenId: string | null;
  readonly clientName: string | null;
  readonly method: string;
  /** The path under the tenant's base URL, without the query, e.g. "/Users/2819c223-…". */
  readonly path: string;
  /** "Users", "Groups", "Bulk", "Search", "Discovery" or "Other". */
  readonly resource: ActivityResource;
  readonly status: number;
  readonly outcome: ActivityOutcome;
  /** For failures: the SCIM error's scimType or catalogue code, and its detail. */
  readonly errorCode: string | null;
  readonly errorDetail: string | null;
  readonly durationMs: number;
  readonly requestId: string;
}

export type ActivityResource = "Users" | "Groups" | "Bulk" | "Search" | "Discovery" | "Other";

/** Query of GET /api/tenants/{slug}/activity → 200 Page<ActivityEntry>, newest first. */
export interface ActivityQuery {
  readonly outcome?: ActivityOutcome;
  readonly tokenId?: string;
  readonly resource?: ActivityResource;
  readonly cursor?: string;
  readonly count?: number;
}

/** GET /api/tenants/{slug}/stats → 200 TenantStats. */
export interface TenantStats {
  readonly users: number;
  readonly activeUsers: number;
  readonly groups: number;
  /** SCIM requests and failed ones in the last 24 hours. */
  readonly requests24h: number;
  readonly errors24h: number;
  /** How long activity is kept, in days. */
  readonly activityRetentionDays: number;
}

// ---------- outbound apps (docs/outbound.md) ----------

/**
 * An app's settings as one object (docs/outbound-settings.md): `name` and `baseUrl` are required on
 * create, every other setting has a default. Responses carry every setting, defaults filled in.
 */
export type AppSettings = Readonly<Record<string, unknown>> & {
  readonly name: string;
  readonly baseUrl: string;
  readonly provisioning?: "on" | "off";
};

/** Object actions counted in an app's statistics. */
export interface AppCounts {
  readonly created: number;
  readonly updated: number;
  readonly adopted: number;
  readonly disabled: number;
  readonly deleted: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Where a source object stands in one app (a link's status). */
export type AppLinkStatus = "pending" | "synced" | "failed" | "disabled" | "deleted" | "skipped" | "staged";

/** What an app is doing: `off` (provisioning off), `quarantined`, `initialCycle`, `reconciling`, or `incremental` (following changes). */
export type AppPhase = "off" | "quarantined" | "initialCycle" | "reconciling" | "incremental";

/** Why an app stopped on its own, what to do, and when it tries again (null: only an admin can lift it). */
export interface AppQuarantine {
  readonly code: "auth" | "unreachable" | "settings" | "token" | "failures" | "tooManyDeletions";
  readonly reason: string;
  readonly fix: string;
  readonly since: string;
  readonly nextAttemptAt: string | null;
}

/** A full cycle (the initial one, or a reconcile) as it ended. */
export interface AppCycleSummary {
  readonly id: string;
  readonly kind: "initial" | "reconcile";
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly outcome: "completed" | "quarantined" | "stopped";
  readonly counts: AppCounts;
}

/** The full cycle in progress: `done` of `total` source objects read so far. */
export interface AppCycleProgress {
  readonly id: string;
  readonly kind: "initial" | "reconcile";
  readonly startedAt: string;
  readonly stage: "users" | "groups" | "orphans" | "members" | "references";
  readonly done: number;
  readonly total: number;
  readonly counts: AppCounts;
}

/** An app's statistics and state, as the engine last recorded them. */
export interface AppStatus {
  readonly phase: AppPhase;
  readonly quarantine: AppQuarantine | null;
  /** Deprovisions the deletion guard holds back (GET …/staged). */
  readonly staged: number;
  readonly lastCycle: AppCycleSummary | null;
  readonly currentCycle: AppCycleProgress | null;
  /** Object actions since the app was created or restarted (on-demand provisioning not included). */
  readonly totals: AppCounts;
  /** Linked source objects per type and status. */
  readonly links: { readonly users: Readonly<Record<AppLinkStatus, number>>; readonly groups: Readonly<Record<AppLinkStatus, number>> };
  /**
   * Directory changes not yet applied to the target, counted up to `cap` (`count === cap` means at
   * least that many); null before the first cycle has started.
   */
  readonly backlog: { readonly count: number; readonly cap: number } | null;
  /** Milliseconds since the oldest change not yet applied was made; 0 when there is none, null before the first cycle. */
  readonly lagMs: number | null;
  /** When the last change from the directory was applied. */
  readonly lastChangeAt: string | null;
  /** Which server process works on the app, until when (null: none at the moment). */
  readonly worker: { readonly node: string; readonly until: string } | null;
}

/** An outbound app. The target's token is write-only: `tokenHint` shows at most its last 4 characters. */
export interface App {
  readonly id: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly provisioning: "on" | "off";
  /** e.g. "••••Xy3k"; "••••" for a token too short to show any of it. */
  readonly tokenHint: string;
  /** Every setting, defaults filled in (the same object PATCH accepts). */
  readonly settings: AppSettings;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Goes up with every change an admin makes; send it back as `version` to refuse to overwrite someone else's change. */
  readonly version: number;
  readonly status: AppStatus;
}
// GET /api/tenants/{slug}/apps → 200 App[] (by creation)
// GET /api/tenants/{slug}/apps/{id} → 200 App

/**
 * POST /api/tenants/{slug}/apps → 201 App: the settings, flat, plus the target's `token`. 400 `invalid`
 * with `problems` for settings, `field: "token"` for the token, `field: "scope"` for assigned ids that
 * are not the tenant's. With `testConnection: true`, Test Connection runs first and a failure refuses
 * the app (400 `invalid`, nothing saved). Provisioning stays off unless `provisioning: "on"`.
 */
export type CreateAppRequest = AppSettings & {
  readonly token: string;
  readonly testConnection?: boolean;
};

/**
 * PATCH /api/tenants/{slug}/apps/{id} → 200 App: only the settings given change (docs/outbound-settings.md
 * "Changing settings"); `token` replaces the token. Changing the Tenant URL to another host requires the
 * token again (so a stored token is never sent to a new place). With `version`, 409 `conflict` when the
 * app changed meanwhile.
 */
export type UpdateAppRequest = Readonly<Record<string, unknown>> & {
  readonly token?: string;
  readonly version?: number;
};
// DELETE /api/tenants/{slug}/apps/{id} → 204 (its links, logs and staged actions go too; nothing is sent to the target)
// POST …/apps/{id}/pause → 200 App (provisioning off); …/resume → 200 App (on)
// POST …/apps/{id}/restart → 200 App: forgets the feed position and the cycle, staged actions and
//   quarantine, and starts a new initial cycle that re-evaluates every object (links are kept)

/** One probe of Test Connection, in words. */
export interface ConnectionProbe {
  /** `reachable`, `serviceProviderConfig`, `authenticated`, `userFilter:<attribute>`, `patch`, `groupFilter:<attribute>`, `unknownUser`. */
  readonly id: string;
  readonly ok: boolean;
  readonly required: boolean;
  readonly warning: boolean;
  readonly summary: string;
  readonly detail: string | null;
  readonly fix: string | null;
}

/** POST …/apps/{id}/test and POST …/apps/test → 200 ConnectionReport (also when it fails: `ok` says). */
export interface ConnectionReport {
  readonly ok: boolean;
  readonly probes: readonly ConnectionProbe[];
}

/** POST /api/tenants/{slug}/apps/test: Test Connection before saving, with the Tenant URL and token typed in. */
export interface TestConnectionRequest {
  readonly baseUrl: string;
  readonly token: string;
  /** Matching attributes to probe (default: the defaults). */
  readonly matching?: { readonly users?: readonly string[]; readonly groups?: readonly string[] };
}

/** POST …/apps/{id}/provision: one user or group now; `dryRun` decides and shows what would be sent, and sends nothing. */
export interface ProvisionRequest {
  readonly type: "User" | "Group";
  readonly id: string;
  readonly dryRun?: boolean;
}

/** One HTTP exchange with the target (one attempt), as on-demand provisioning shows it. Never the token. */
export interface ProvisionExchange {
  readonly method: string;
  readonly path: string;
  readonly attempt: number;
  readonly status: number | null;
  readonly durationMs: number;
  readonly requestBody: unknown;
  /** The target's answer, clipped to a few KiB. */
  readonly responseText: string | null;
  readonly error: string | null;
}

/** One step of provisioning an object: its scope decision, matching, the action, each request. */
export interface ProvisionStep {
  readonly step: "scope" | "match" | "action" | "request" | "members";
  readonly summary: string;
}

/** → 200 ProvisionResult. */
export interface ProvisionResult {
  readonly type: "User" | "Group";
  readonly id: string;
  readonly dryRun: boolean;
  /** What the engine decided: write (create, adopt or update), disable, delete, forget (stop managing), skip. */
  readonly plan: "write" | "disable" | "delete" | "forget" | "skip";
  readonly reason: string;
  /** How it ended: success, failure, skipped, or planned (dry run). */
  readonly outcome: "success" | "failure" | "skipped" | "planned";
  readonly steps: readonly ProvisionStep[];
  readonly exchanges: readonly ProvisionExchange[];
  /** Dry run: the request that would be sent, when there is one (before it, a create looks the object up by each matching attribute). */
  readonly wouldSend: { readonly method: string; readonly path: string; readonly body: unknown } | null;
  /** The provisioning log entry written (not for a dry run), with the error and recommended fix of a failure. */
  readonly log: AppLogEntry | null;
}

/** One entry of an app's provisioning log: one action on one object. */
export interface AppLogEntry {
  readonly id: string;
  readonly at: string;
  /** The cycle: `initial-…`, `reconcile-…`, `incremental`, `retry`, `on-demand-…`. */
  readonly cycle: string;
  readonly resourceType: "User" | "Group";
  readonly sourceId: string;
  /** The object's userName (users) or displayName (groups) when the action was taken; null when unknown. */
  readonly display: string | null;
  readonly targetId: string | null;
  readonly action: "create" | "update" | "adopt" | "disable" | "delete" | "members" | "skip" | "stage";
  readonly status: "success" | "failure" | "skipped" | "staged";
  /** Steps, modified attributes (`{ path, old, new }`), and requests (method, path, status, duration). */
  readonly details: Readonly<Record<string, unknown>>;
  readonly error: string | null;
  readonly fix: string | null;
}

/** A page of a provisioning log, newest first (logs are not counted: they can be long). */
export interface AppLogPage {
  readonly items: readonly AppLogEntry[];
  readonly nextCursor: string | null;
}

/**
 * Query of GET …/apps/{id}/logs → 200 AppLogPage and of
 * GET …/apps/{id}/logs/export?format=csv|json (every matching entry as a download). `since` (inclusive)
 * and `until` (exclusive) are ISO 8601 times; `sourceId` is a Muster user or group id.
 */
export interface AppLogQuery {
  readonly action?: AppLogEntry["action"];
  readonly status?: AppLogEntry["status"];
  readonly sourceId?: string;
  readonly since?: string;
  readonly until?: string;
  readonly cursor?: string;
  readonly count?: number;
}

/** A deprovision the deletion guard held back. GET …/apps/{id}/staged → 200 Page<StagedAction> (oldest first). */
export interface StagedAction {
  readonly id: string;
  readonly resourceType: "User" | "Group";
  readonly sourceId: string;
  readonly action: "disable" | "delete";
  readonly reason: string;
  readonly createdAt: string;
}

/**
 * POST …/apps/{id}/staged/allow → 200 StagedDecision: every staged action is sent (deprovisions pass the
 * guard for the next hour). POST …/staged/reject → 200: none is sent, and Muster stops managing those
 * objects (they stay in the target as they are). 409 `conflict` when nothing is staged.
 */
export interface StagedDecision {
  readonly decided: number;
}

// ---------- audit log ----------

/**
 * Who performed an audited action: a signed-in admin, an API key (for scripts; not issued yet), a
 * command run on the server (`muster tenants create`…), the server itself (retention, first start), or
 * nobody known (failed sign-ins, setup links).
 */
export type AuditActorKind = "admin" | "api_key" | "cli" | "system" | "anonymous";

/** How an audited action ended. */
export type AuditOutcome = "success" | "failure";

/**
 * Every action the audit log records, named `<area>.<what happened>`, with the words the console shows.
 * A failed attempt has the same action and the outcome `failure` (a failed sign-in is
 * `session.sign_in` + failure). New areas (apps, webhooks, API keys) add their names here.
 */
export const auditActions = {
  "session.sign_in": "Sign in",
  "session.sign_out": "Sign out",
  "admin.created": "Create admin",
  "admin.setup_link_created": "Create setup link",
  "admin.password_changed": "Change password",
  "tenant.created": "Create tenant",
  "tenant.renamed": "Rename tenant",
  "tenant.deleted": "Delete tenant",
  "scim_token.created": "Create SCIM token",
  "scim_token.revoked": "Revoke SCIM token",
  "audit.exported": "Export audit log",
  "audit.pruned": "Delete expired audit events",
  "app.created": "Create app",
  "app.updated": "Change app",
  "app.deleted": "Delete app",
  "app.token_replaced": "Replace app token",
  "app.provisioning_on": "Turn provisioning on",
  "app.provisioning_off": "Turn provisioning off",
  "app.restarted": "Restart provisioning",
  "app.tested": "Test connection",
  "app.provisioned": "Provision on demand",
  "app.staged_allowed": "Allow staged deletions",
  "app.staged_rejected": "Reject staged deletions",
} as const;

/** A name of the audit catalogue, e.g. `tenant.created`. */
export type AuditAction = keyof typeof auditActions;

/** The areas of the catalogue (the part before the dot), with the console's words for them. */
export const auditAreas = {
  session: "Sessions",
  admin: "Admins",
  tenant: "Tenants",
  scim_token: "SCIM tokens",
  audit: "Audit log",
  app: "Outbound apps",
} as const;

/**
 * One administrative action. Names (emails, slugs, client names) are as they were when it happened.
 * Never contains a password, token, setup link, session, cookie or CSRF token.
 */
export interface AuditEvent {
  /** Time ordered: a later event has a greater id. */
  readonly id: string;
  readonly occurredAt: string;
  readonly actor: {
    readonly kind: AuditActorKind;
    /** The admin's (or API key's) id; null for the CLI, the system and anonymous callers. */
    readonly id: string | null;
    /** The admin's email, the OS user of a command; null when unknown. */
    readonly label: string | null;
  };
  /** The client address (behind a trusted proxy, the forwarded one); null outside HTTP. */
  readonly address: string | null;
  readonly userAgent: string | null;
  readonly action: AuditAction;
  /** What the action was done to, e.g. `{ kind: "scim_token", id, label: client name }`; null when nothing in particular. */
  readonly target: { readonly kind: string; readonly id: string | null; readonly label: string | null } | null;
  /** The tenant concerned; `id` is null when no such tenant existed (a failure). Kept after the tenant is deleted. */
  readonly tenant: { readonly id: string | null; readonly slug: string } | null;
  readonly outcome: AuditOutcome;
  /** Why a failure failed, e.g. "wrong password" (the client was told less); null for successes. */
  readonly reason: string | null;
  /** Non-secret facts of the action, e.g. a tenant's old and new name or a token's masked form. */
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * Query of GET /api/audit → 200 Page<AuditEvent>, newest first, and of GET /api/audit/export. Every
 * given criterion must hold. `action` is one action, or an area with `.*` (`tenant.*`); `actor` matches
 * the start of the actor's label (email) case-insensitively; `tenant` is a slug; `since` (inclusive) and
 * `until` (exclusive) are ISO 8601 times; `q` matches the start of the actor's label, the target's
 * label or the tenant slug.
 */
export interface AuditQuery {
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly actorKind?: AuditActorKind;
  readonly actorId?: string;
  readonly actor?: string;
  readonly tenant?: string;
  readonly since?: string;
  readonly until?: string;
  readonly q?: string;
  readonly cursor?: string;
  readonly count?: number;
}

/**
 * GET /api/audit/export?format=csv|json plus the filters of AuditQuery (not cursor or count): every
 * matching event, newest first, as a download (Content-Disposition: attachment). `csv`: one header
 * row, one row per event, cells that a spreadsheet would run as a formula prefixed with `'`. `json`: one
 * JSON array of AuditEvent. The export itself is recorded as `audit.exported`.
 */
export type AuditExportFormat = "csv" | "json";

// ---------- this node's health ----------

/**
 * GET /api/node/health → 200 NodeHealth: how the server process that answers has been doing, sampled
 * from its own metrics every `intervalSeconds` and kept in its memory for `windowSeconds` (an hour).
 * Behind a load balancer each node answers for itself; a restarted node starts without samples. A node
 * with several worker processes answers for all of them (summed; the event-loop delay is the worst worker's).
 */
export interface NodeHealth {
  readonly node: NodeInfo;
  readonly intervalSeconds: number;
  readonly windowSeconds: number;
  /** Oldest first; each one's rates and quantiles cover the interval that ends at its `at`. */
  readonly samples: readonly NodeHealthSample[];
}

/** The server process that answered (with several workers: the primary, whose samples cover all of them). */
export interface NodeInfo {
  readonly hostname: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly database: "sqlite" | "postgres";
  /** Worker processes of `muster serve --workers` whose requests the samples count together; 1 without workers. */
  readonly workers: number;
}

/** One sample of a node's health. Quantiles are null in an interval without observations. */
export interface NodeHealthSample {
  readonly at: string;
  /** HTTP requests per second (all routes: SCIM, admin API, console) by status class. */
  readonly requestsPerSecond: { readonly "2xx": number; readonly "3xx": number; readonly "4xx": number; readonly "5xx": number };
  /** SCIM request latency quantiles, in milliseconds (estimated from histogram buckets). */
  readonly scimLatencyMs: { readonly p50: number | null; readonly p95: number | null; readonly p99: number | null };
  /** SCIM requests per second that failed: client errors (4xx) and server errors (5xx). */
  readonly scimErrorsPerSecond: { readonly client: number; readonly server: number };
  /** SCIM requests per second refused by the per-token rate limit (429). */
  readonly rateLimitRejectionsPerSecond: number;
  /** SQLite's group commit: writes per COMMIT and the COMMIT's (fsync's) 95th percentile; null on PostgreSQL. */
  readonly commitGroup: { readonly writesPerCommit: number | null; readonly commitP95Ms: number | null } | null;
  /** Activity entries waiting in memory to be written. */
  readonly activityBuffered: number;
  /** How late the event loop ran timers: 99th percentile and maximum in the interval, in milliseconds. */
  readonly eventLoopDelayMs: { readonly p99: number; readonly max: number };
  readonly memory: { readonly residentBytes: number; readonly heapUsedBytes: number };
}
