import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../sql/dialect.js";

/**
 * Version 8: the admin audit log. `id` is a newId() (time ordered), so the primary key pages the log
 * newest first; each filter of the Audit page (action, outcome, actor kind, actor id, actor label,
 * target label, tenant slug) has an index ending in id, and (occurred_at, id) answers time ranges and the
 * retention prune. Deliberately no foreign keys: an event outlives the admin, tenant and token it
 * names (deleting a tenant must not delete the record of its deletion), so names are copied into it.
 */
export function auditEventsMigration(dialect: SqlDialect): Migration {
  const text = sql.raw(dialect.columnTypes.text);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("audit_events")
        .addColumn("id", text, (c) => c.primaryKey())
        .addColumn("occurred_at", text, (c) => c.notNull())
        .addColumn("actor_kind", text, (c) => c.notNull())
        .addColumn("actor_id", text)
        .addColumn("actor_label", text)
        .addColumn("actor_label_key", text)
        .addColumn("address", text)
        .addColumn("user_agent", text)
        .addColumn("action", text, (c) => c.notNull())
        .addColumn("target_kind", text)
        .addColumn("target_id", text)
        .addColumn("target_label", text)
        .addColumn("target_label_key", text)
        .addColumn("tenant_id", text)
        .addColumn("tenant_slug", text)
        .addColumn("outcome", text, (c) => c.notNull())
        .addColumn("reason", text)
        .addColumn("details", text, (c) => c.notNull())
        .execute();
      for (const column of ["action", "outcome", "actor_kind", "actor_id", "actor_label_key", "target_label_key", "tenant_slug"]) {
        await db.schema.createIndex(`audit_events_${column}`).on("audit_events").columns([column, "id"]).execute();
      }
      await db.schema.createIndex("audit_events_occurred_at").on("audit_events").columns(["occurred_at", "id"]).execute();
    },
  };
}
