import type { Database } from "../schema.js";
import { userKeyColumns, userNameTrigramTable, type UserKeyColumn } from "./key-columns.js";

/** How a column's values are read and written portably (schema.ts has the TypeScript types; this is what the copy needs at run time). */
export type ColumnKind = "text" | "integer" | "real" | "boolean" | "json";

/** A table as `muster copy` moves it: its primary key (the copy order) and the kind of every column. */
export interface TransferTable {
  readonly name: keyof Database;
  readonly key: readonly string[];
  readonly columns: Readonly<Record<string, ColumnKind>>;
}

// Typed per table, so a column added to schema.ts without a kind here fails to compile.
function table<T extends keyof Database>(name: T, key: readonly (keyof Database[T] & string)[], columns: Record<keyof Database[T] & string, ColumnKind>): TransferTable {
  return { name, key, columns };
}

const keyColumnKinds = Object.fromEntries(userKeyColumns.map((key) => [key.column, "text"])) as Record<UserKeyColumn, ColumnKind>;

/** Every table an installation consists of, parents before children so foreign keys hold during the copy. */
export const transferTables: readonly TransferTable[] = [
  table("tenants", ["id"], { id: "text", slug: "text", name: "text", created_at: "text" }),
  // cursor_key among them: cursors handed out before the move keep working after it.
  table("settings", ["key"], { key: "text", value: "text" }),
  table("tokens", ["id"], {
    id: "text",
    tenant_id: "text",
    client_name: "text",
    hint: "text",
    secret_hash: "text",
    created_at: "text",
    last_used_at: "text",
    revoked_at: "text",
  }),
  table("users", ["tenant_id", "id"], {
    tenant_id: "text",
    id: "text",
    user_name: "text",
    user_name_key: "text",
    external_id: "text",
    active: "boolean",
    created_at: "text",
    last_modified_at: "text",
    version: "integer",
    password_hash: "text",
    attributes: "json",
    // Copied as they are: both databases fold them with foldCase when writing.
    ...keyColumnKinds,
  }),
  table("user_emails", ["tenant_id", "user_id", "position"], {
    tenant_id: "text",
    user_id: "text",
    position: "integer",
    value: "text",
    value_key: "text",
    type_key: "text",
    is_primary: "boolean",
  }),
  table("groups", ["tenant_id", "id"], {
    tenant_id: "text",
    id: "text",
    display_name: "text",
    display_name_key: "text",
    external_id: "text",
    created_at: "text",
    last_modified_at: "text",
    version: "integer",
    attributes: "json",
  }),
  table("group_members", ["tenant_id", "group_id", "member_id"], { tenant_id: "text", group_id: "text", member_id: "text", member_type: "text" }),
  table("search_terms", ["tenant_id", "resource_type", "term_key", "resource_id"], { tenant_id: "text", resource_type: "text", term_key: "text", resource_id: "text" }),
  table("activity", ["tenant_id", "id"], {
    tenant_id: "text",
    id: "text",
    at: "text",
    token_id: "text",
    client_name: "text",
    method: "text",
    path: "text",
    resource: "text",
    status: "integer",
    outcome: "text",
    error_code: "text",
    error_detail: "text",
    duration_ms: "real",
    request_id: "text",
  }),
  table("admins", ["id"], { id: "text", email: "text", email_key: "text", password_hash: "text", created_at: "text", password_changed_at: "text" }),
  // Unused links keep working after the move; used ones record which admin they created.
  table("admin_setup_links", ["id"], { id: "text", email: "text", admin_id: "text", created_at: "text", expires_at: "text", used_at: "text" }),
  // The audit log moves with the installation: a move must not erase who did what.
  table("audit_events", ["id"], {
    id: "text",
    occurred_at: "text",
    actor_kind: "text",
    actor_id: "text",
    actor_label: "text",
    actor_label_key: "text",
    address: "text",
    user_agent: "text",
    action: "text",
    target_kind: "text",
    target_id: "text",
    target_label: "text",
    target_label_key: "text",
    tenant_id: "text",
    tenant_slug: "text",
    outcome: "text",
    reason: "text",
    details: "text",
  }),
  // Outbound apps move with their links, so the target database's engine writes nothing that is in sync
  // already. The token stays encrypted: the new installation needs the same secret key (docs/outbound.md).
  table("apps", ["tenant_id", "id"], {
    tenant_id: "text",
    id: "text",
    name: "text",
    base_url: "text",
    token_ciphertext: "text",
    token_hint: "text",
    settings: "json",
    provisioning: "text",
    state: "json",
    created_at: "text",
    updated_at: "text",
    version: "integer",
    lease_owner: "text",
    lease_until: "text",
  }),
  table("app_links", ["app_id", "resource_type", "source_id"], {
    tenant_id: "text",
    app_id: "text",
    resource_type: "text",
    source_id: "text",
    target_id: "text",
    origin: "text",
    status: "text",
    written: "json",
    written_hash: "text",
    last_error: "text",
    attempts: "integer",
    next_retry_at: "text",
    updated_at: "text",
  }),
  table("app_memberships", ["app_id", "group_id", "member_id"], { tenant_id: "text", app_id: "text", group_id: "text", member_id: "text" }),
  table("app_log", ["app_id", "id"], {
    tenant_id: "text",
    app_id: "text",
    id: "text",
    at: "text",
    cycle: "text",
    resource_type: "text",
    source_id: "text",
    target_id: "text",
    action: "text",
    status: "text",
    details: "json",
    error: "text",
    fix: "text",
  }),
  table("app_staged", ["app_id", "id"], { tenant_id: "text", app_id: "text", id: "text", resource_type: "text", source_id: "text", action: "text", reason: "text", created_at: "text" }),
];

/**
 * Tables a copy leaves out, and why: each holds state that only means something on the database it
 * was written in, or short-lived state that is safe to lose (a move is a good moment to end every
 * console session).
 */
export const untransferredTables: Readonly<Partial<Record<keyof Database, string>>> = {
  admin_sessions: "console sessions: admins sign in again on the new database",
  login_failures: "sign-in throttling counts, which only matter for 15 minutes",
  feed_checkpoints: "positions in the old database's change feed, which do not exist in the new one: its consumers start again from the beginning of the new feed",
};

/**
 * Tables that only summarise or index other tables' rows, and why a copy leaves them out: the target
 * database's triggers build its own from the rows copied (FTS5 tables come with shadow tables named
 * after them, `<name>_data` and so on).
 */
export const derivedTables: Readonly<Record<string, string>> = {
  [userNameTrigramTable]: "SQLite's trigram index of users.user_name_key, filled by triggers as users rows are inserted",
  resource_counts: "each tenant's number of Users and Groups, counted by triggers as users and groups rows are inserted",
  changes: "the change feed: the new database's triggers record every User, Group and membership copied into it as created, in a feed of its own (positions of one database's feed mean nothing in another's)",
};

/** The catalog entry of a table; throws for a name outside it (a programming error). */
export function transferTable(name: string): TransferTable {
  const found = transferTables.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`table ${JSON.stringify(name)} is not one muster copy moves`);
  return found;
}
