import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../sql/dialect.js";

/**
 * Version 2: console admin accounts, their sessions, one-time setup links, and failed sign-ins for
 * throttling. Secrets (session cookies, setup links) are stored only as SHA-256 digests, passwords only
 * as argon2id hashes. Failures live in the database so every server process sees the same counts.
 */
export function adminAccountsMigration(dialect: SqlDialect): Migration {
  const text = sql.raw(dialect.columnTypes.text);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("admins")
        .addColumn("id", text, (c) => c.primaryKey())
        .addColumn("email", text, (c) => c.notNull())
        .addColumn("email_key", text, (c) => c.notNull().unique())
        .addColumn("password_hash", text, (c) => c.notNull())
        .addColumn("created_at", text, (c) => c.notNull())
        .addColumn("password_changed_at", text)
        .execute();

      await db.schema
        .createTable("admin_sessions")
        .addColumn("id", text, (c) => c.primaryKey())
        .addColumn("admin_id", text, (c) => c.notNull().references("admins.id").onDelete("cascade"))
        .addColumn("csrf_token", text, (c) => c.notNull())
        .addColumn("created_at", text, (c) => c.notNull())
        .addColumn("last_seen_at", text, (c) => c.notNull())
        .addColumn("expires_at", text, (c) => c.notNull())
        .addColumn("absolute_expires_at", text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("admin_sessions_admin").on("admin_sessions").columns(["admin_id"]).execute();
      await db.schema.createIndex("admin_sessions_expires").on("admin_sessions").columns(["expires_at"]).execute();

      await db.schema
        .createTable("admin_setup_links")
        .addColumn("id", text, (c) => c.primaryKey())
        .addColumn("email", text)
        .addColumn("admin_id", text, (c) => c.references("admins.id").onDelete("set null"))
        .addColumn("created_at", text, (c) => c.notNull())
        .addColumn("expires_at", text, (c) => c.notNull())
        .addColumn("used_at", text)
        .execute();
      await db.schema.createIndex("admin_setup_links_expires").on("admin_setup_links").columns(["expires_at"]).execute();

      await db.schema
        .createTable("login_failures")
        .addColumn("throttle_key", text, (c) => c.notNull())
        .addColumn("id", text, (c) => c.notNull())
        .addColumn("failed_at", text, (c) => c.notNull())
        .addPrimaryKeyConstraint("login_failures_pkey", ["throttle_key", "id"])
        .execute();
      await db.schema.createIndex("login_failures_key_time").on("login_failures").columns(["throttle_key", "failed_at"]).execute();
      await db.schema.createIndex("login_failures_time").on("login_failures").columns(["failed_at"]).execute();
    },
  };
}
