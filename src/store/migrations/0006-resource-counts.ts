import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../sql/dialect.js";

/** The resource tables counted, and the resource_type each count row carries. */
const counted = [
  { table: "users", type: "User" },
  { table: "groups", type: "Group" },
] as const;

/**
 * Version 6: resource_counts holds how many Users and Groups each tenant has, so an unfiltered list
 * reads totalResults from one row instead of counting the tenant. Database triggers keep it exact, so
 * every way a users or groups row comes or goes (the store, `muster copy`, a tenant's cascading delete,
 * a rolled-back transaction) moves the count with it.
 */
export function resourceCountsMigration(dialect: SqlDialect): Migration {
  const text = sql.raw(dialect.columnTypes.text);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("resource_counts")
        .addColumn("tenant_id", text, (c) => c.notNull().references("tenants.id").onDelete("cascade"))
        .addColumn("resource_type", text, (c) => c.notNull())
        .addColumn("total", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("resource_counts_pkey", ["tenant_id", "resource_type"])
        .execute();
      // Triggers before the backfill: on PostgreSQL creating them locks users and groups against writes
      // until this migration commits, so no row slips between the count and the trigger.
      for (const { table, type } of counted) {
        if (dialect.name === "sqlite") await createSqliteTriggers(db, table, type);
        else await createPostgresTriggers(db, table, type);
      }
      for (const { table, type } of counted) {
        await sql`insert into resource_counts (tenant_id, resource_type, total) select tenant_id, ${type}, count(*) from ${sql.table(table)} group by tenant_id`.execute(db);
      }
    },
  };
}

/** SQLite: row triggers, an upsert per inserted row and a decrement per deleted row. */
async function createSqliteTriggers(db: Kysely<any>, table: string, type: string): Promise<void> {
  const kind = sql.lit(type);
  await sql`create trigger ${sql.id(`resource_counts_${table}_insert`)} after insert on ${sql.table(table)} begin
    insert into resource_counts (tenant_id, resource_type, total) values (new.tenant_id, ${kind}, 1)
      on conflict (tenant_id, resource_type) do update set total = total + 1;
  end`.execute(db);
  await sql`create trigger ${sql.id(`resource_counts_${table}_delete`)} after delete on ${sql.table(table)} begin
    update resource_counts set total = total - 1 where tenant_id = old.tenant_id and resource_type = ${kind};
  end`.execute(db);
}

/**
 * PostgreSQL: statement triggers over the transition tables, so a statement that inserts or deletes
 * many rows (a copy batch, a tenant's cascade) changes each tenant's count once rather than per row.
 */
async function createPostgresTriggers(db: Kysely<any>, table: string, type: string): Promise<void> {
  const added = sql.id(`resource_counts_${table}_added`);
  const removed = sql.id(`resource_counts_${table}_removed`);
  const kind = sql.lit(type);
  await sql`create function ${added}() returns trigger language plpgsql as $$
    begin
      insert into resource_counts (tenant_id, resource_type, total)
        select tenant_id, ${kind}, count(*) from inserted_rows group by tenant_id
        on conflict (tenant_id, resource_type) do update set total = resource_counts.total + excluded.total;
      return null;
    end $$`.execute(db);
  await sql`create function ${removed}() returns trigger language plpgsql as $$
    begin
      update resource_counts c set total = c.total - d.removed
        from (select tenant_id, count(*) as removed from deleted_rows group by tenant_id) d
        where c.tenant_id = d.tenant_id and c.resource_type = ${kind};
      return null;
    end $$`.execute(db);
  await sql`create trigger ${sql.id(`resource_counts_${table}_insert`)} after insert on ${sql.table(table)} referencing new table as inserted_rows for each statement execute function ${added}()`.execute(db);
  await sql`create trigger ${sql.id(`resource_counts_${table}_delete`)} after delete on ${sql.table(table)} referencing old table as deleted_rows for each statement execute function ${removed}()`.execute(db);
}
