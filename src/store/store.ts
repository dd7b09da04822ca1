import type { ResolvedFilter } from "../scim/filter/resolved.js";
import type { JsonObject } from "../scim/json.js";
import type { ResolvedAttribute } from "../scim/schema/registry.js";
import type { ResourceTypeName } from "../scim/schema/attribute.js";

/**
 * The storage contract. The SCIM core never sees SQL; provisioning use cases talk to this interface,
 * and each database (SQLite now, PostgreSQL later) provides one implementation with its own dialect.
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

/** Users and Groups of one tenant, plus group membership. */
export interface ResourceRepository {
  get(type: ResourceTypeName, tenantId: string, id: string): Promise<ResourceRecord | undefined>;
  /** Inserts; a taken userName / group displayName (case-insensitive) rejects with ScimError uniqueness. */
  insert(resource: NewResource): Promise<ResourceRecord>;
  /** Replaces attributes and bumps version; uniqueness as for insert; preconditionFailed if the version moved. */
  update(update: ResourceUpdate): Promise<ResourceRecord>;
  /** Bumps version and lastModified without changing attributes (after membership changes). */
  touch(type: ResourceTypeName, tenantId: string, id: string, lastModified: string): Promise<ResourceRecord | undefined>;
  /** Deletes the resource and every membership row that names it; false when it did not exist. */
  delete(type: ResourceTypeName, tenantId: string, id: string): Promise<boolean>;
  list(type: ResourceTypeName, tenantId: string, query: ListQuery): Promise<ListPage>;

  /** Which of these ids exist in the tenant, and as what. Ids of other tenants are absent. */
  findMembers(tenantId: string, ids: readonly string[]): Promise<Map<string, ResourceTypeName>>;
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
  /** Direct groups of several users (or groups), ordered by group id. */
  groupsOf(tenantId: string, memberIds: readonly string[]): Promise<Map<string, GroupRef[]>>;
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

/** The repositories available inside one transaction. */
export interface StoreSession {
  readonly resources: ResourceRepository;
  readonly tenants: TenantRepository;
  readonly tokens: TokenRepository;
  readonly settings: SettingsRepository;
}

/** A database. */
export interface Store {
  readonly dialect: "sqlite" | "postgres";
  /** Runs reads on a consistent snapshot. */
  read<T>(work: (session: StoreSession) => Promise<T>): Promise<T>;
  /**
   * Runs reads and writes in one transaction that takes the write lock up front. Resolves only after
   * the commit is durable; if `work` throws, everything is rolled back and the error propagates.
   */
  write<T>(work: (session: StoreSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
