import { sql, type CreateTableBuilder, type Kysely, type Migration } from "kysely";
import type { JsonObject } from "../../scim/json.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { SqlDialect } from "../sql/dialect.js";
import { searchTermRows } from "../sql/search-terms.js";

const batchSize = 1000;

/**
 * Version 4: search_terms, the index behind the console's search box (src/store/sql/search-terms.ts),
 * filled for the users and groups that exist already. The primary key (tenant_id, resource_type,
 * term_key, resource_id) answers a prefix search as one index range; (tenant_id, resource_id) finds
 * a resource's rows when it changes.
 */
export function searchTermsMigration(dialect: SqlDialect): Migration {
  const text = sql.raw(dialect.columnTypes.text);
  const compact = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    dialect.supportsWithoutRowid ? table.modifyEnd(sql`without rowid`) : table;
  return {
    async up(db: Kysely<any>): Promise<void> {
      await compact(
        db.schema
          .createTable("search_terms")
          .addColumn("tenant_id", text, (c) => c.notNull())
          .addColumn("resource_type", text, (c) => c.notNull())
          .addColumn("term_key", text, (c) => c.notNull())
          .addColumn("resource_id", text, (c) => c.notNull())
          .addPrimaryKeyConstraint("search_terms_pkey", ["tenant_id", "resource_type", "term_key", "resource_id"]),
      ).execute();
      await db.schema.createIndex("search_terms_resource").on("search_terms").columns(["tenant_id", "resource_id"]).execute();
      for (const [table, type] of [["users", "User"], ["groups", "Group"]] as const) await backfill(db, table, type);
    },
  };
}

/** Adds the terms of every existing row of a table, a batch at a time in (tenant_id, id) order. */
async function backfill(db: Kysely<any>, table: "users" | "groups", type: ResourceTypeName): Promise<void> {
  let after: { tenant_id: string; id: string } | undefined;
  for (;;) {
    let query = db.selectFrom(table).select(["tenant_id", "id", "attributes"]).orderBy("tenant_id").orderBy("id").limit(batchSize);
    if (after) query = query.where(sql`(tenant_id, id)`, ">", sql`(${after.tenant_id}, ${after.id})`);
    const rows: { tenant_id: string; id: string; attributes: string }[] = await query.execute();
    const terms = rows.flatMap((row) => searchTermRows(row.tenant_id, type, row.id, JSON.parse(row.attributes) as JsonObject));
    for (let start = 0; start < terms.length; start += batchSize) await db.insertInto("search_terms").values(terms.slice(start, start + batchSize)).execute();
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return;
    after = { tenant_id: last.tenant_id, id: last.id };
  }
}
