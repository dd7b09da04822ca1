import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../sql/dialect.js";

/** The resource tables counted, and the resource_type each count row carries (as in 0006). */
const counted = [
  { table: "users", type: "User" },
  { table: "groups", type: "Group" },
] as const;

/**
 * Version 7: resource_counts.revision goes up with every insert and every delete of a tenant's Users
 * (or Groups), and never down. Two reads that see the same revision see the same set of rows, so a
 * position in the tenant's id order found by one read (the last id of a page) is still the same
 * position in the other: index paging uses this to continue after the previous page instead of walking
 * the index again from the start (src/store/sql/page-positions.ts). The triggers of 0006 are replaced
 * by ones that keep both figures; existing rows start at revision 0.
 */
export function resourceCountRevisionsMigration(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable("resource_counts")
        .addColumn("revision", "bigint", (c) => c.notNull().defaultTo(0))
        .execute();
      for (const { table, type } of counted) {
        if (dialect.name === "sqlite") await replaceSqliteTriggers(db, table, type);
        else await replacePostgresFunctions(db, table, type);
      }
    },
  };
}

/** SQLite: the row triggers of 0006, dropped and created again with the revision. */
async function replaceSqliteTriggers(db: Kysely<any>, table: string, type: string): Promise<void> {
  const kind = sql.lit(type);
  const insert = sql.id(`resource_counts_${table}_insert`);
  const remove = sql.id(`resource_counts_${table}_delete`);
  await sql`drop trigger ${insert}`.execute(db);
  await sql`drop trigger ${remove}`.execute(db);
  await sql`create trigger ${insert} after insert on ${sql.table(table)} begin
    insert into resource_counts (tenant_id, resource_type, total, revision) values (new.tenant_id, ${kind}, 1, 1)
      on conflict (tenant_id, resource_type) do update set total = total + 1, revision = revision + 1;
  end`.execute(db);
  await sql`create trigger ${remove} after delete on ${sql.table(table)} begin
    update resource_counts set total = total - 1, revision = revision + 1 where tenant_id = old.tenant_id and resource_type = ${kind};
  end`.execute(db);
}

/** PostgreSQL: the statement triggers of 0006 stay; the functions they call are replaced. */
async function replacePostgresFunctions(db: Kysely<any>, table: string, type: string): Promise<void> {
  const kind = sql.lit(type);
  await sql`create or replace function ${sql.id(`resource_counts_${table}_added`)}() returns trigger language plpgsql as $$
    begin
      insert into resource_counts (tenant_id, resource_type, total, revision)
        select tenant_id, ${kind}, count(*), count(*) from inserted_rows group by tenant_id
        on conflict (tenant_id, resource_type) do update
          set total = resource_counts.total + excluded.total, revision = resource_counts.revision + excluded.revision;
      return null;
    end $$`.execute(db);
  await sql`create or replace function ${sql.id(`resource_counts_${table}_removed`)}() returns trigger language plpgsql as $$
    begin
      update resource_counts c set total = c.total - d.removed, revision = c.revision + d.removed
        from (select tenant_id, count(*) as removed from deleted_rows group by tenant_id) d
        where c.tenant_id = d.tenant_id and c.resource_type = ${kind};
      return null;
    end $$`.execute(db);
}
