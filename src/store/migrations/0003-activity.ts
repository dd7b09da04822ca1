import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../sql/dialect.js";

/**
 * Version 3: the log of SCIM requests behind the console's Activity page. `id` is a newId() (time
 * ordered), so the primary key (tenant_id, id) pages a tenant newest first; each filter of the page
 * (outcome, token, resource) has an index ending in id, and (tenant_id, at, outcome) answers the
 * last-24-hours counts and the retention prune. No foreign key to tenants: entries are written in
 * batches after the fact, and the batch drops entries of tenants deleted meanwhile instead of failing.
 */
export function activityMigration(dialect: SqlDialect): Migration {
  const text = sql.raw(dialect.columnTypes.text);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("activity")
        .addColumn("tenant_id", text, (c) => c.notNull())
        .addColumn("id", text, (c) => c.notNull())
        .addColumn("at", text, (c) => c.notNull())
        .addColumn("token_id", text)
        .addColumn("client_name", text)
        .addColumn("method", text, (c) => c.notNull())
        .addColumn("path", text, (c) => c.notNull())
        .addColumn("resource", text, (c) => c.notNull())
        .addColumn("status", "integer", (c) => c.notNull())
        .addColumn("outcome", text, (c) => c.notNull())
        .addColumn("error_code", text)
        .addColumn("error_detail", text)
        .addColumn("duration_ms", "real", (c) => c.notNull())
        .addColumn("request_id", text, (c) => c.notNull())
        .addPrimaryKeyConstraint("activity_pkey", ["tenant_id", "id"])
        .execute();
      for (const column of ["outcome", "token_id", "resource"]) {
        await db.schema.createIndex(`activity_${column}`).on("activity").columns(["tenant_id", column, "id"]).execute();
      }
      await db.schema.createIndex("activity_at").on("activity").columns(["tenant_id", "at", "outcome"]).execute();
    },
  };
}
