import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../sql/dialect.js";

/**
 * Version 11: outbound provisioning (docs/outbound.md). Per tenant, `apps` are SCIM targets Muster
 * pushes its directory to: settings chosen by an admin (JSON, validated by src/outbound/settings), the
 * target's token encrypted (src/secrets), the engine's own state (JSON: quarantine, cycles, statistics),
 * and a lease so that one node at a time works on an app. `app_links` remembers, per app and source
 * object, the target object and what was last written to it; `app_memberships` the memberships the
 * target holds as far as Muster wrote them; `app_log` is the provisioning log (one entry per object
 * action); `app_staged` holds actions the deletion guard stopped until an admin allows or rejects them.
 * Each app's rows go with the app, and an app goes with its tenant.
 */
export function outboundAppsMigration(dialect: SqlDialect): Migration {
  const text = sql.raw(dialect.columnTypes.text);
  const json = sql.raw(dialect.columnTypes.json);
  const appKey = (table: string) => ({ name: `${table}_app_fkey`, columns: ["tenant_id", "app_id"] as ["tenant_id", "app_id"] });
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("apps")
        .addColumn("tenant_id", text, (c) => c.notNull().references("tenants.id").onDelete("cascade"))
        .addColumn("id", text, (c) => c.notNull())
        .addColumn("name", text, (c) => c.notNull())
        .addColumn("base_url", text, (c) => c.notNull())
        .addColumn("token_ciphertext", text, (c) => c.notNull())
        .addColumn("token_hint", text, (c) => c.notNull())
        .addColumn("settings", json, (c) => c.notNull())
        .addColumn("provisioning", text, (c) => c.notNull())
        .addColumn("state", json, (c) => c.notNull())
        .addColumn("created_at", text, (c) => c.notNull())
        .addColumn("updated_at", text, (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("lease_owner", text)
        .addColumn("lease_until", text)
        .addPrimaryKeyConstraint("apps_pkey", ["tenant_id", "id"])
        .addUniqueConstraint("apps_id", ["id"])
        .execute();

      const links = appKey("app_links");
      await db.schema
        .createTable("app_links")
        .addColumn("tenant_id", text, (c) => c.notNull())
        .addColumn("app_id", text, (c) => c.notNull())
        .addColumn("resource_type", text, (c) => c.notNull())
        .addColumn("source_id", text, (c) => c.notNull())
        .addColumn("target_id", text)
        .addColumn("origin", text)
        .addColumn("status", text, (c) => c.notNull())
        .addColumn("written", json)
        .addColumn("written_hash", text)
        .addColumn("last_error", text)
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("next_retry_at", text)
        .addColumn("updated_at", text, (c) => c.notNull())
        .addPrimaryKeyConstraint("app_links_pkey", ["app_id", "resource_type", "source_id"])
        .addForeignKeyConstraint(links.name, links.columns, "apps", ["tenant_id", "id"], (fk) => fk.onDelete("cascade"))
        .execute();
      await db.schema.createIndex("app_links_retry").on("app_links").columns(["app_id", "next_retry_at"]).execute();
      await db.schema.createIndex("app_links_status").on("app_links").columns(["app_id", "resource_type", "status", "source_id"]).execute();
      await db.schema.createIndex("app_links_target").on("app_links").columns(["app_id", "resource_type", "target_id"]).execute();

      const memberships = appKey("app_memberships");
      await db.schema
        .createTable("app_memberships")
        .addColumn("tenant_id", text, (c) => c.notNull())
        .addColumn("app_id", text, (c) => c.notNull())
        .addColumn("group_id", text, (c) => c.notNull())
        .addColumn("member_id", text, (c) => c.notNull())
        .addPrimaryKeyConstraint("app_memberships_pkey", ["app_id", "group_id", "member_id"])
        .addForeignKeyConstraint(memberships.name, memberships.columns, "apps", ["tenant_id", "id"], (fk) => fk.onDelete("cascade"))
        .execute();
      await db.schema.createIndex("app_memberships_member").on("app_memberships").columns(["app_id", "member_id", "group_id"]).execute();

      const log = appKey("app_log");
      await db.schema
        .createTable("app_log")
        .addColumn("tenant_id", text, (c) => c.notNull())
        .addColumn("app_id", text, (c) => c.notNull())
        .addColumn("id", text, (c) => c.notNull())
        .addColumn("at", text, (c) => c.notNull())
        .addColumn("cycle", text, (c) => c.notNull())
        .addColumn("resource_type", text, (c) => c.notNull())
        .addColumn("source_id", text, (c) => c.notNull())
        .addColumn("target_id", text)
        .addColumn("action", text, (c) => c.notNull())
        .addColumn("status", text, (c) => c.notNull())
        .addColumn("details", json, (c) => c.notNull())
        .addColumn("error", text)
        .addColumn("fix", text)
        .addPrimaryKeyConstraint("app_log_pkey", ["app_id", "id"])
        .addForeignKeyConstraint(log.name, log.columns, "apps", ["tenant_id", "id"], (fk) => fk.onDelete("cascade"))
        .execute();
      for (const column of ["action", "status", "source_id"]) {
        await db.schema.createIndex(`app_log_${column}`).on("app_log").columns(["app_id", column, "id"]).execute();
      }
      await db.schema.createIndex("app_log_at").on("app_log").columns(["app_id", "at", "status"]).execute();

      const staged = appKey("app_staged");
      await db.schema
        .createTable("app_staged")
        .addColumn("tenant_id", text, (c) => c.notNull())
        .addColumn("app_id", text, (c) => c.notNull())
        .addColumn("id", text, (c) => c.notNull())
        .addColumn("resource_type", text, (c) => c.notNull())
        .addColumn("source_id", text, (c) => c.notNull())
        .addColumn("action", text, (c) => c.notNull())
        .addColumn("reason", text, (c) => c.notNull())
        .addColumn("created_at", text, (c) => c.notNull())
        .addPrimaryKeyConstraint("app_staged_pkey", ["app_id", "id"])
        .addForeignKeyConstraint(staged.name, staged.columns, "apps", ["tenant_id", "id"], (fk) => fk.onDelete("cascade"))
        .execute();
    },
  };
}
