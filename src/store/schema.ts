import type { Generated } from "kysely";

/**
 * Kysely table types for Muster's database (created by ./migrations). Booleans are stored as
 * integers 0/1 on SQLite; the dialect converts. Timestamps are ISO 8601 UTC text with milliseconds,
 * so text order is time order. JSON documents are text.
 */
export interface Database {
  tenants: TenantsTable;
  tokens: TokensTable;
  settings: SettingsTable;
  users: UsersTable;
  user_emails: UserEmailsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  search_terms: SearchTermsTable;
  resource_counts: ResourceCountsTable;
  activity: ActivityTable;
  admins: AdminsTable;
  admin_sessions: AdminSessionsTable;
  admin_setup_links: AdminSetupLinksTable;
  login_failures: LoginFailuresTable;
  audit_events: AuditEventsTable;
  changes: ChangesTable;
  feed_checkpoints: FeedCheckpointsTable;
  apps: AppsTable;
  app_links: AppLinksTable;
  app_memberships: AppMembershipsTable;
  app_log: AppLogTable;
  app_staged: AppStagedTable;
}

/** One SCIM base URL. */
export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  created_at: string;
}

/** SCIM client tokens (secret hashes only). */
export interface TokensTable {
  id: string;
  tenant_id: string;
  client_name: string;
  hint: string;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Installation-wide key/value settings. */
export interface SettingsTable {
  key: string;
  value: string;
}

/** Users; `attributes` is the JSON document of ResourceRecord.attributes, the other columns derive from it. */
export interface UsersTable {
  tenant_id: string;
  id: string;
  user_name: string;
  user_name_key: string;
  external_id: string | null;
  active: number | null;
  created_at: string;
  last_modified_at: string;
  version: number;
  password_hash: string | null;
  attributes: string;
  /** Folded copies of commonly filtered attributes (src/store/sql/key-columns.ts), NULL when unassigned. */
  given_name_key: string | null;
  family_name_key: string | null;
  display_name_key: string | null;
}

/** One row per element of a user's `emails`, kept in step with the user row (an index, not the source). */
export interface UserEmailsTable {
  tenant_id: string;
  user_id: string;
  position: number;
  value: string | null;
  value_key: string | null;
  type_key: string | null;
  is_primary: number | null;
}

/** Groups; `attributes` never holds members (they are rows of group_members). */
export interface GroupsTable {
  tenant_id: string;
  id: string;
  display_name: string;
  display_name_key: string;
  external_id: string | null;
  created_at: string;
  last_modified_at: string;
  version: number;
  attributes: string;
}

/** Direct membership: one row per (group, member). */
export interface GroupMembersTable {
  tenant_id: string;
  group_id: string;
  member_id: string;
  member_type: string;
}

/** The console's search index: one row per word a User or Group can be found by (folded, see search-terms.ts). */
export interface SearchTermsTable {
  tenant_id: string;
  resource_type: string;
  term_key: string;
  resource_id: string;
}

/**
 * How many Users and Groups a tenant has, kept exact by triggers on users and groups (migration 0006),
 * spread over shards (migration 0009): the tenant's figures are the sums over its rows; no row means 0.
 */
export interface ResourceCountsTable {
  tenant_id: string;
  resource_type: string;
  /** Which of the tenant's count rows (PostgreSQL: the writing transaction's id modulo 64; SQLite: 0). */
  shard: number;
  /** This shard's share of the total; may be below zero, the sum over the shards is exact. */
  total: number;
  /** Goes up with every insert and delete counted in this shard (migration 0007), so the sum over the shards does too; a bigint, read with Number(). */
  revision: number | string;
}

/** One row per SCIM request a tenant received; `id` is a newId(), so id order is time order. */
export interface ActivityTable {
  tenant_id: string;
  id: string;
  at: string;
  token_id: string | null;
  client_name: string | null;
  method: string;
  path: string;
  resource: string;
  status: number;
  outcome: string;
  error_code: string | null;
  error_detail: string | null;
  duration_ms: number;
  request_id: string;
}

/** Console admin accounts; `email_key` is foldCase(email), unique. */
export interface AdminsTable {
  id: string;
  email: string;
  email_key: string;
  password_hash: string;
  created_at: string;
  password_changed_at: string | null;
}

/** Signed-in console sessions; `id` is the hex SHA-256 of the cookie's secret, never the secret. */
export interface AdminSessionsTable {
  id: string;
  admin_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  /** Idle expiry, moved forward as the session is used; never after `absolute_expires_at`. */
  expires_at: string;
  absolute_expires_at: string;
}

/** One-time setup links; `id` is the hex SHA-256 of the link's secret. `email` is null for the first-admin link. */
export interface AdminSetupLinksTable {
  id: string;
  email: string | null;
  /** The admin the link created, once used. */
  admin_id: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** One row per failed sign-in under each throttle key (an email or a client address). */
export interface LoginFailuresTable {
  throttle_key: string;
  id: string;
  failed_at: string;
}


/** The admin audit log (migration 0008); `id` is a newId(), so id order is time order. `*_key` columns are foldCase() of the label beside them. */
export interface AuditEventsTable {
  id: string;
  occurred_at: string;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string | null;
  actor_label_key: string | null;
  address: string | null;
  user_agent: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  target_label: string | null;
  target_label_key: string | null;
  tenant_id: string | null;
  tenant_slug: string | null;
  outcome: string;
  reason: string | null;
  /** A JSON object of non-secret facts, as text. */
  details: string;
}

/**
 * The change feed (migration 0010): one row per created, updated or deleted User or Group and per
 * membership added or removed, written by triggers in the writing transaction. (txid, seq) is the
 * change's position in the feed (src/store/sql/change-feed.ts); bigints are read with String().
 */
export interface ChangesTable {
  seq: Generated<number | string>;
  tenant_id: string;
  /** PostgreSQL: the writing transaction's id; SQLite: 0 (seq alone is commit order there). */
  txid: Generated<number | string>;
  at: string;
  resource_type: string;
  resource_id: string;
  /** created | updated | deleted | member_added | member_removed */
  action: string;
  member_id: string | null;
  member_type: string | null;
  /** JSON array of the top-level attribute names an update changed. */
  changed: string | null;
  /** The attribute document after a create or update, before a delete (JSON). */
  document: string | null;
}

/** Where each consumer of a tenant's change feed has got to (an outbound app, later a webhook endpoint). */
export interface FeedCheckpointsTable {
  tenant_id: string;
  consumer: string;
  txid: number | string;
  seq: number | string;
  updated_at: string;
}

/** Outbound apps (migration 0011): SCIM targets a tenant's directory is pushed to. JSON columns are text on SQLite, jsonb on PostgreSQL. */
export interface AppsTable {
  tenant_id: string;
  id: string;
  name: string;
  base_url: string;
  token_ciphertext: string;
  token_hint: string;
  settings: unknown;
  provisioning: string;
  state: unknown;
  created_at: string;
  updated_at: string;
  version: number;
  lease_owner: string | null;
  lease_until: string | null;
}

/** Per app and source object: the target object and what was last written to it. */
export interface AppLinksTable {
  tenant_id: string;
  app_id: string;
  resource_type: string;
  source_id: string;
  target_id: string | null;
  origin: string | null;
  status: string;
  written: unknown;
  written_hash: string | null;
  last_error: string | null;
  attempts: number;
  next_retry_at: string | null;
  updated_at: string;
}

/** Memberships Muster wrote to a target group (source ids of the group and the member). */
export interface AppMembershipsTable {
  tenant_id: string;
  app_id: string;
  group_id: string;
  member_id: string;
}

/** The provisioning log: one row per object action; `id` is a newId(). */
export interface AppLogTable {
  tenant_id: string;
  app_id: string;
  id: string;
  at: string;
  cycle: string;
  resource_type: string;
  source_id: string;
  target_id: string | null;
  action: string;
  status: string;
  details: unknown;
  error: string | null;
  fix: string | null;
}

/** Actions the deletion guard held back for an admin's decision. */
export interface AppStagedTable {
  tenant_id: string;
  app_id: string;
  id: string;
  resource_type: string;
  source_id: string;
  action: string;
  reason: string;
  created_at: string;
}
