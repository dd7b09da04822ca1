import type { ResolvedFilter } from "../scim/filter/resolved.js";
import type { JsonObject } from "../scim/json.js";
import type { ResolvedAttribute } from "../scim/schema/registry.js";
import type { ResourceTypeName } from "../scim/schema/attribute.js";
import type { OutboundRepository } from "./outbound.js";
import type { PoolUsage, StoreObserver } from "./store-observer.js";

/**
 * The storage contract. The SCIM core never sees SQL; provisioning use cases talk to this interface,
 * and each database (SQLite, PostgreSQL) provides one implementation with its own dialect.
 * Every method is tenant-scoped: no method can reach another tenant's rows.
 */

/** One stored User or Group. */
export interface ResourceRecord {
  readonly tenantId: string;
  readonly id: string;
  readonly type: ResourceTypeName;
  /**
   * Client-owned attributes with canonical names (as in the schema); extension attributes under their
   * URN key. Never contains id, meta, schemas, password, groups or members.
   */
  readonly attributes: JsonObject;
  /** ISO 8601 UTC with milliseconds, e.g. 2026-11-28T20:01:02.345Z. */
  readonly created: string;
  readonly lastModified: string;
  /** Starts at 1 and increments on every change, including membership changes of a group. */
  readonly version: number;
}

/** A resource to insert. */
export interface NewResource {
  readonly tenantId: string;
  readonly id: string;
  readonly type: ResourceTypeName;
  readonly attributes: JsonObject;
  readonly created: string;
  /** Hash of the User's password (never the password itself). */
  readonly passwordHash?: string;
}

/** A full replacement of a resource's attributes. */
export interface ResourceUpdate {
  readonly tenantId: string;
  readonly id: string;
  readonly type: ResourceTypeName;
  readonly attributes: JsonObject;
  readonly lastModified: string;
  /** The version the caller read; the update fails with preconditionFailed if it changed meanwhile. */
  readonly expectedVersion: number;
  /** undefined keeps the stored hash, null clears it. */
  readonly passwordHash?: string | null;
  /**
   * The attributes stored at `expectedVersion` (the caller read them). With them, rows derived from the
   * document (emails, search terms) are rewritten only where they differ; without, all are rewritten.
   */
  readonly previous?: JsonObject;
}

/** A member to add to a group; `type` is what the referenced resource is. */
export interface MemberRef {
  readonly value: string;
  readonly type: ResourceTypeName;
}

/** A member as returned on the wire; `display` is the member's current displayName (or userName). */
export interface MemberView {
  readonly value: string;
  readonly type: ResourceTypeName;
  readonly display?: string;
}

/** A group a user belongs to directly. */
export interface GroupRef {
  readonly value: string;
  readonly display?: string;
}

/** Where a cursor page ended: the sort value and id of its last row (keyset pagination, RFC 9865). */
export interface CursorPosition {
  readonly sortValue: string | number | boolean | null;
  readonly id: string;
}

/** Index paging (RFC 7644 §3.4.2.4) or cursor paging (RFC 9865). */
export type PageRequest =
  | { readonly kind: "index"; readonly startIndex: number; readonly count: number }
  | { readonly kind: "cursor"; readonly after?: CursorPosition; readonly count: number };

/** Sort key; rows with equal keys are ordered by id, and unassigned values sort last in both orders. */
export interface SortSpec {
  readonly attr: ResolvedAttribute;
  readonly descending: boolean;
}

/** A list query, fully resolved against the schema. */
export interface ListQuery {
  readonly filter?: ResolvedFilter;
  /**
   * The console's search box: words that must each begin one of the resource's search terms, compared
   * case-insensitively (users: words of userName, names and emails, and email domains; groups: words
   * of displayName). See src/store/sql/search-terms.ts.
   */
  readonly search?: readonly string[];
  readonly sort?: SortSpec;
  readonly page: PageRequest;
}

/** One page of a list. */
export interface ListPage {
  readonly records: readonly ResourceRecord[];
  readonly totalResults: number;
  /** For cursor paging: the position of the last record when more records follow; absent on the last page. */
  readonly next?: CursorPosition;
}

/** One page of a list as stored resources (ResourceRepository.listStored). */
export interface StoredPage {
  readonly resources: readonly StoredResource[];
  readonly totalResults: number;
  readonly next?: CursorPosition;
}

/** Users and Groups of one tenant, plus group membership. */
export interface ResourceRepository {
  get(type: ResourceTypeName, tenantId: string, id: string): Promise<ResourceRecord | undefined>;
  /** Inserts; a taken userName / group displayName (case-insensitive) rejects with ScimError uniqueness. */
  insert(resource: NewResource): Promise<ResourceRecord>;
  /** Replaces attributes and bumps version; returns the record as written. Uniqueness as for insert; preconditionFailed if the version moved. */
  update(update: ResourceUpdate): Promise<ResourceRecord>;
  /** Bumps version and lastModified without changing attributes (after membership changes). */
  touch(type: ResourceTypeName, tenantId: string, id: string, lastModified: string): Promise<ResourceRecord | undefined>;
  /** Deletes the resource and every membership row that names it; false when it did not exist. */
  delete(type: ResourceTypeName, tenantId: string, id: string): Promise<boolean>;
  list(type: ResourceTypeName, tenantId: string, query: ListQuery): Promise<ListPage>;
  /** `list` with documents as stored JSON text and, in the same statement, what `options` asks for (a User's groups, extension flags). */
  listStored(type: ResourceTypeName, tenantId: string, query: ListQuery, options: LookupOptions): Promise<StoredPage>;

  /** Which of these ids exist in the tenant, and as what. Ids of other tenants are absent. */
  findMembers(tenantId: string, ids: readonly string[]): Promise<Map<string, ResourceTypeName>>;
  /**
   * Adds those ids that name a User or Group of the tenant and are not members yet, in one statement;
   * returns the ids added and what each is. Ids naming nothing, and members already present, are left out.
   */
  addFoundMembers(tenantId: string, groupId: string, ids: readonly string[]): Promise<Map<string, ResourceTypeName>>;
  /** Adds members; members already present are left as they are. Returns how many were added. */
  addMembers(tenantId: string, groupId: string, members: readonly MemberRef[]): Promise<number>;
  /** Removes the listed member ids; absent ids are ignored. Returns how many were removed. */
  removeMembers(tenantId: string, groupId: string, ids: readonly string[]): Promise<number>;
  /** Removes members matching a filter over the member sub-attributes (value, type, display). */
  removeMembersWhere(tenantId: string, groupId: string, filter: ResolvedFilter): Promise<number>;
  /** Removes every member. */
  clearMembers(tenantId: string, groupId: string): Promise<number>;
  /** Members of several groups, ordered by member id. */
  membersOf(tenantId: string, groupIds: readonly string[]): Promise<Map<string, MemberView[]>>;
  countMembers(tenantId: string, groupId: string): Promise<number>;
  /** Member counts of several groups in one grouped query (every requested group has an entry). */
  countMembersOf(tenantId: string, groupIds: readonly string[]): Promise<Map<string, number>>;
  /** One page of a group's members in member-id order, after the member id `after` (keyset paging). */
  pageMembers(tenantId: string, groupId: string, page: { readonly after?: string; readonly count: number }): Promise<MemberView[]>;
  /** Direct groups of several users (or groups), ordered by group id. */
  groupsOf(tenantId: string, memberIds: readonly string[]): Promise<Map<string, GroupRef[]>>;
}

/** A column a resource can be looked up by in one indexed statement (userName and displayName compare case-folded). */
export type LookupKey = "id" | "externalId" | "userName" | "displayName";

/** The keys each resource type can be looked up by (ResourceLookup.byKey). */
export const lookupKeys: Readonly<Record<ResourceTypeName, readonly LookupKey[]>> = {
  User: ["id", "userName", "externalId"],
  Group: ["id", "displayName", "externalId"],
};

/**
 * A resource as stored, read by one statement: its attribute document as JSON text (so a response can
 * carry it without parsing it), which extensions the document holds as objects, and, when asked, the
 * User's direct groups in group-id order.
 */
export interface StoredResource {
  readonly tenantId: string;
  readonly id: string;
  readonly type: ResourceTypeName;
  /** The attribute document (ResourceRecord.attributes) as JSON text. */
  readonly attributesJson: string;
  /** True when the text is exactly JSON.stringify of the document (SQLite); PostgreSQL's jsonb text is not. */
  readonly canonicalJson: boolean;
  /** The asked extension URNs whose value in the document is a JSON object, in the order asked. */
  readonly extensions: readonly string[];
  readonly created: string;
  readonly lastModified: string;
  readonly version: number;
  readonly groups?: readonly GroupRef[];
}

/** What a lookup reads besides the row: the User's groups, and which of these extension URNs the document holds. */
export interface LookupOptions {
  readonly groups: boolean;
  readonly extensions: readonly string[];
}

/**
 * The hot reads of the SCIM API (GET by id, a filter `key eq "value"`): each is ONE prepared statement,
 * run outside any transaction (a single statement reads one consistent, latest-committed state), with
 * no query building per request. Every method is tenant-scoped.
 */
export interface ResourceLookup {
  /** undefined also for an id no database can store (U+0000, unpaired surrogates). */
  byId(type: ResourceTypeName, tenantId: string, id: string, options: LookupOptions): Promise<StoredResource | undefined>;
  /** Resources whose `key` equals `value` (case-folded for userName and displayName), in id order, at most `limit`; none for a value no database can store. */
  byKey(type: ResourceTypeName, tenantId: string, key: LookupKey, value: string, limit: number, options: LookupOptions): Promise<StoredResource[]>;
}

/** A tenant: one SCIM base URL. */
export interface TenantRecord {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly created: string;
}

/** A SCIM client token; only a hash of the secret is stored. */
export interface TokenRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly clientName: string;
  /** The last characters of the token, for recognising it in lists. */
  readonly hint: string;
  /** Hex SHA-256 of the token's secret part. */
  readonly secretHash: string;
  readonly created: string;
  readonly lastUsed?: string;
  readonly revoked?: string;
}

/** Tenants. */
export interface TenantRepository {
  /** Rejects with ScimError uniqueness when the slug is taken. */
  create(tenant: TenantRecord): Promise<TenantRecord>;
  bySlug(slug: string): Promise<TenantRecord | undefined>;
  list(): Promise<TenantRecord[]>;
  count(): Promise<number>;
  /** Changes the display name; undefined when there is no such tenant. */
  rename(id: string, name: string): Promise<TenantRecord | undefined>;
  /** Deletes the tenant and all its data (users, groups, memberships, emails, search terms, tokens, activity); false when absent. */
  delete(id: string): Promise<boolean>;
}

/** SCIM client tokens. */
export interface TokenRepository {
  create(token: TokenRecord): Promise<TokenRecord>;
  get(id: string): Promise<TokenRecord | undefined>;
  list(tenantId: string): Promise<TokenRecord[]>;
  /** Marks the token revoked; false when it does not exist in that tenant or was already revoked. */
  revoke(tenantId: string, id: string, at: string): Promise<boolean>;
  /** Moves last-used times forward (never backwards), one write for many tokens. */
  recordUse(uses: ReadonlyMap<string, string>): Promise<void>;
}

/** Small installation-wide values (for example the key that signs pagination cursors). */
export interface SettingsRepository {
  get(key: string): Promise<string | undefined>;
  /** Stores the value unless the key exists; returns the value that is stored afterwards. */
  setIfAbsent(key: string, value: string): Promise<string>;
}

/** A console admin account; only an argon2id hash of the password is stored. */
export interface AdminRecord {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly created: string;
  readonly passwordChanged?: string;
}

/** Console admin accounts; emails are unique case-insensitively (foldCase). */
export interface AdminRepository {
  /** Rejects with ScimError uniqueness when an admin has this email. */
  create(admin: AdminRecord): Promise<AdminRecord>;
  get(id: string): Promise<AdminRecord | undefined>;
  /** Finds an admin by email, case-insensitively. */
  byEmail(email: string): Promise<AdminRecord | undefined>;
  /** All admins, in creation order. */
  list(): Promise<AdminRecord[]>;
  count(): Promise<number>;
  /** Replaces the password hash; false when the admin does not exist. */
  setPassword(id: string, passwordHash: string, at: string): Promise<boolean>;
}

/** A signed-in console session; `id` is the hex SHA-256 of the cookie's secret. */
export interface AdminSessionRecord {
  readonly id: string;
  readonly adminId: string;
  readonly csrfToken: string;
  readonly created: string;
  readonly lastSeen: string;
  /** Idle expiry; moves forward as the session is used, never past `absoluteExpires`. */
  readonly expires: string;
  readonly absoluteExpires: string;
}

/** Console sessions. */
export interface AdminSessionRepository {
  create(session: AdminSessionRecord): Promise<AdminSessionRecord>;
  get(id: string): Promise<AdminSessionRecord | undefined>;
  /** Records use of a session and its new idle expiry; false when it no longer exists. */
  touch(id: string, lastSeen: string, expires: string): Promise<boolean>;
  /** Ends a session; false when it did not exist. */
  delete(id: string): Promise<boolean>;
  /** Ends every session of an admin except `keepId`; returns how many ended. */
  deleteForAdmin(adminId: string, keepId?: string): Promise<number>;
  /** Removes sessions whose idle expiry is at or before `now`. */
  deleteExpired(now: string): Promise<number>;
}

/** A one-time setup link; `id` is the hex SHA-256 of its secret. */
export interface SetupLinkRecord {
  readonly id: string;
  /** The new admin's email; null for the first-admin link, where whoever opens it chooses the email. */
  readonly email: string | null;
  /** The admin the link created, once used. */
  readonly adminId?: string;
  readonly created: string;
  readonly expires: string;
  readonly used?: string;
}

/** One-time setup links. */
export interface SetupLinkRepository {
  create(link: SetupLinkRecord): Promise<SetupLinkRecord>;
  get(id: string): Promise<SetupLinkRecord | undefined>;
  /** Marks an unused link used by `adminId`; false when it does not exist or was used already. */
  markUsed(id: string, adminId: string, at: string): Promise<boolean>;
  /** Removes links that expired at or before `now`. */
  deleteExpired(now: string): Promise<number>;
}

/** Failed sign-ins, counted per throttle key (an email, a client address) across server processes. */
export interface LoginFailureRepository {
  /** Records one failed (or not yet finished) attempt at `at` under each key; returns the attempt's id. */
  record(keys: readonly string[], at: string): Promise<string>;
  /** Removes one attempt recorded under these keys (it succeeded after all). */
  forget(keys: readonly string[], attemptId: string): Promise<void>;
  /** Times of the key's failures after `since`, newest first, at most `limit`. */
  recent(key: string, since: string, limit: number): Promise<string[]>;
  /** Forgets a key's failures (after a successful sign-in). */
  clear(key: string): Promise<void>;
  /** Forgets failures at or before `before`. */
  deleteBefore(before: string): Promise<number>;
}

/** How a SCIM request ended (shared/admin-api.ts ActivityOutcome). */
export type ActivityOutcome = "success" | "failure";

/** What part of the SCIM API a request addressed (shared/admin-api.ts ActivityResource). */
export type ActivityResource = "Users" | "Groups" | "Bulk" | "Search" | "Discovery" | "Other";

/** One SCIM request a tenant received. `id` is a newId(), so id order is time order. */
export interface ActivityRecord {
  readonly tenantId: string;
  readonly id: string;
  /** ISO 8601 UTC with milliseconds. */
  readonly at: string;
  readonly tokenId: string | null;
  readonly clientName: string | null;
  readonly method: string;
  /** The path under the tenant's base URL, without the query. */
  readonly path: string;
  readonly resource: ActivityResource;
  readonly status: number;
  readonly outcome: ActivityOutcome;
  readonly errorCode: string | null;
  readonly errorDetail: string | null;
  readonly durationMs: number;
  readonly requestId: string;
}

/** Which activity to list: every given criterion must hold. */
export interface ActivityFilter {
  readonly outcome?: ActivityOutcome;
  readonly tokenId?: string;
  readonly resource?: ActivityResource;
}

/** One page of activity, newest first. */
export interface ActivityPage {
  readonly records: readonly ActivityRecord[];
  /** How many entries match the filter in all. */
  readonly total: number;
  /** The id of the last record when older ones follow. */
  readonly next?: string;
}

/** The SCIM request log behind the console's Activity page. */
export interface ActivityRepository {
  /** Inserts entries; entries of tenants that no longer exist are dropped. Returns how many were inserted. */
  append(entries: readonly ActivityRecord[]): Promise<number>;
  /** Newest first; `before` is the id the previous page ended with. */
  list(tenantId: string, filter: ActivityFilter, page: { readonly before?: string; readonly count: number }): Promise<ActivityPage>;
  /** Requests and failed requests at or after `since`. */
  countSince(tenantId: string, since: string): Promise<{ requests: number; failures: number }>;
  /** Deletes at most `limit` of the tenant's entries older than `before`; returns how many. */
  prune(tenantId: string, before: string, limit: number): Promise<number>;
}

/** Who performed an audited action (shared/admin-api.ts AuditActorKind). */
export type AuditActorKind = "admin" | "api_key" | "cli" | "system" | "anonymous";

/** How an audited action ended. */
export type AuditOutcome = "success" | "failure";

/**
 * One administrative action as the audit log keeps it. `id` is a newId(), so id order is time order.
 * Labels, slugs and names are copies taken when the action happened: the event outlives what it names.
 * Never holds a secret (password, token, setup link, session, cookie or CSRF token).
 */
export interface AuditEventRecord {
  readonly id: string;
  /** ISO 8601 UTC with milliseconds. */
  readonly occurredAt: string;
  readonly actorKind: AuditActorKind;
  /** The admin's (or API key's) id; null for the CLI, the system and anonymous callers. */
  readonly actorId: string | null;
  /** The admin's email at the time, the OS user of a CLI command; null when unknown. */
  readonly actorLabel: string | null;
  /** The client address (behind trusted proxies, the forwarded one); null outside HTTP. */
  readonly address: string | null;
  readonly userAgent: string | null;
  /** A name of the catalogue, e.g. `tenant.created` (shared/admin-api.ts auditActions). */
  readonly action: string;
  /** What the action was done to: a kind (`tenant`, `scim_token`, `admin`…), its id and a name for people. */
  readonly targetKind: string | null;
  readonly targetId: string | null;
  readonly targetLabel: string | null;
  /** The tenant the action concerned, as it was; the id is null when no such tenant existed. */
  readonly tenantId: string | null;
  readonly tenantSlug: string | null;
  readonly outcome: AuditOutcome;
  /** Why a failure failed, in words for people; null for successes. */
  readonly reason: string | null;
  /** Non-secret facts of the action (e.g. a tenant's old and new name), a small JSON object. */
  readonly details: JsonObject;
}

/** Which audit events to list: every given criterion must hold. */
export interface AuditFilter {
  /** Exactly this action. */
  readonly action?: string;
  /** Actions that start with this text, e.g. `tenant.` for every tenant action. */
  readonly actionPrefix?: string;
  readonly outcome?: AuditOutcome;
  readonly actorKind?: AuditActorKind;
  readonly actorId?: string;
  /** The actor's label starts with this, case-insensitively (folded with foldCase). */
  readonly actorLabel?: string;
  readonly tenantSlug?: string;
  /** Events at or after this ISO time. */
  readonly since?: string;
  /** Events before this ISO time. */
  readonly until?: string;
  /** Free text: the actor's label, the target's label or the tenant slug starts with it, case-insensitively. */
  readonly text?: string;
}

/** One page of audit events, newest first. */
export interface AuditPage {
  readonly records: readonly AuditEventRecord[];
  /** The id of the last record when older ones follow. */
  readonly next?: string;
}

/** The admin audit log, installation-wide (events are not scoped to a tenant; many concern none). */
export interface AuditRepository {
  /** Adds one event (inside the transaction of the action it records). */
  append(event: AuditEventRecord): Promise<void>;
  /** Newest first; `before` is the id the previous page ended with. Each filter reads an index. */
  list(filter: AuditFilter, page: { readonly before?: string; readonly count: number }): Promise<AuditPage>;
  /** How many events match the filter. */
  count(filter: AuditFilter): Promise<number>;
  /** Deletes at most `limit` events that occurred before `before`, oldest first; returns how many. */
  prune(before: string, limit: number): Promise<number>;
}

/** What a change did (migration 0010). */
export type ChangeAction = "created" | "updated" | "deleted" | "member_added" | "member_removed";

/**
 * A place in a tenant's change feed: changes are ordered by (txid, seq), compared as integers. Both are
 * decimal text (PostgreSQL's are 64-bit); on SQLite txid is always "0".
 */
export interface FeedPosition {
  readonly txid: string;
  readonly seq: string;
}

/** Compares two feed positions: negative when `a` comes first, 0 when equal, positive after. */
export function compareFeedPositions(a: FeedPosition, b: FeedPosition): number {
  const txid = BigInt(a.txid) - BigInt(b.txid);
  if (txid !== 0n) return txid < 0n ? -1 : 1;
  const seq = BigInt(a.seq) - BigInt(b.seq);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

/** One change of a tenant's Users, Groups or memberships, recorded in the transaction that made it. */
export interface ChangeRecord {
  readonly position: FeedPosition;
  readonly tenantId: string;
  /** ISO 8601 UTC with milliseconds: the resource's meta time for creates and updates, the database's clock otherwise. */
  readonly at: string;
  readonly resourceType: ResourceTypeName;
  /** The User or Group changed; for membership changes, the group. */
  readonly resourceId: string;
  readonly action: ChangeAction;
  /** The member added or removed (membership changes only). */
  readonly member?: MemberRef;
  /** The top-level attribute names (canonical, extension URNs) an update changed, sorted. */
  readonly changed?: readonly string[];
  /** The attribute document after a create or update, and before a delete. */
  readonly document?: JsonObject;
}

/**
 * The change feed, read by consumers (outbound apps, later webhooks and the events API) that each keep
 * a checkpoint. A read returns only changes of transactions that have ended, so a consumer that
 * continues after the last position it read never misses a change nor sees one twice.
 */
export interface ChangeFeedRepository {
  /** The tenant's changes after `after` (from the oldest kept when undefined) in feed order, at most `limit`. */
  read(tenantId: string, after: FeedPosition | undefined, limit: number): Promise<ChangeRecord[]>;
  /** The position of the tenant's latest readable change; undefined when it has none. */
  head(tenantId: string): Promise<FeedPosition | undefined>;
  /** The position of the tenant's oldest change still kept; undefined when it has none. */
  oldest(tenantId: string): Promise<FeedPosition | undefined>;
  /** How many readable changes of the tenant follow `after` (all kept when undefined), counted up to `cap` (a backlog's size costs at most `cap` index entries). */
  countAfter(tenantId: string, after: FeedPosition | undefined, cap: number): Promise<number>;
  /**
   * Deletes the tenant's oldest changes recorded before `before`, at most `limit`, in feed order, and
   * remembers the last one deleted (`pruned`), so that a consumer behind it knows it missed changes.
   * Returns how many were deleted.
   */
  prune(tenantId: string, before: string, limit: number): Promise<number>;
  /** The position of the tenant's last pruned change; undefined when nothing was pruned. */
  pruned(tenantId: string): Promise<FeedPosition | undefined>;
  /** Where a consumer has got to; undefined when it has not read anything yet. */
  checkpoint(tenantId: string, consumer: string): Promise<FeedPosition | undefined>;
  /** Moves (or sets) a consumer's checkpoint. */
  saveCheckpoint(tenantId: string, consumer: string, position: FeedPosition, at: string): Promise<void>;
  /** Forgets a consumer's checkpoint (it starts again from the oldest change kept); false when it had none. */
  deleteCheckpoint(tenantId: string, consumer: string): Promise<boolean>;
}

/** A column value as `muster copy` moves it between databases; JSON documents travel as their text. */
export type TransferValue = string | number | boolean | null;

/** One row of a transferred table, by column name. */
export type TransferRow = Readonly<Record<string, TransferValue>>;

/**
 * Whole tables in primary-key order, for moving an installation between databases (`muster copy`).
 * Values read on one database are written unchanged on any other: text, integers and reals as they
 * are, booleans as booleans, JSON documents as JSON text.
 */
export interface TransferRepository {
  /** The tables an installation consists of, parents before children. Console sessions and sign-in throttling state are not among them. */
  tables(): readonly string[];
  count(table: string): Promise<number>;
  /** Up to `limit` rows in primary-key order, after `after` (the last row of the previous batch). */
  readBatch(table: string, after: TransferRow | undefined, limit: number): Promise<TransferRow[]>;
  /** Inserts rows that readBatch returned on any database; a key that exists already fails the statement. */
  insertBatch(table: string, rows: readonly TransferRow[]): Promise<void>;
}

/** The repositories available inside one transaction. */
export interface StoreSession {
  readonly resources: ResourceRepository;
  readonly tenants: TenantRepository;
  readonly tokens: TokenRepository;
  readonly settings: SettingsRepository;
  readonly activity: ActivityRepository;
  readonly admins: AdminRepository;
  readonly adminSessions: AdminSessionRepository;
  readonly setupLinks: SetupLinkRepository;
  readonly loginFailures: LoginFailureRepository;
  readonly audit: AuditRepository;
  readonly transfer: TransferRepository;
  readonly changes: ChangeFeedRepository;
  readonly outbound: OutboundRepository;
}

/** Where a database's schema stands against the migrations this build knows (src/store/migrations). */
export interface SchemaStatus {
  /** This build's migrations the database has, in order. */
  readonly applied: readonly string[];
  /** This build's migrations the database lacks, in order. */
  readonly pending: readonly string[];
  /** Migrations the database has that this build does not know: a newer Muster applied them. */
  readonly unknown: readonly string[];
}

/** A database. */
export interface Store {
  readonly dialect: "sqlite" | "postgres";
  /** Single-statement reads of one resource or a key match, outside transactions (the SCIM hot path). */
  readonly lookup: ResourceLookup;
  /** Runs reads on a consistent snapshot. */
  read<T>(work: (session: StoreSession) => Promise<T>): Promise<T>;
  /**
   * Runs reads and writes in one transaction that takes the write lock up front. Resolves only after
   * the commit is durable; if `work` throws, everything is rolled back and the error propagates.
   * Where several processes share the database (PostgreSQL), the lock is per row: `resources.get`
   * locks the resource it reads until the end of the transaction, and a transaction the database rolls
   * back to break a deadlock runs again — so `work` may run more than once and must have no effects
   * outside the session. After a session call rejects, let the error propagate: the transaction can
   * only be rolled back.
   */
  write<T>(work: (session: StoreSession) => Promise<T>): Promise<T>;
  /** Reads which migrations the database has, without changing it. */
  schemaStatus(): Promise<SchemaStatus>;
  /**
   * Applies pending migrations under the migration lock, so nodes starting together apply each once;
   * returns the names applied now. Rejects with SchemaVersionError when the database is newer than this build.
   */
  migrate(): Promise<string[]>;
  /** Reports every statement and group commit to `observer` (the server's metrics) until the returned function is called. */
  observe(observer: StoreObserver): () => void;
  /** The connection pool's use right now; undefined for a database without a pool (SQLite). */
  poolUsage(): PoolUsage | undefined;
  close(): Promise<void>;
}
