import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../sql/dialect.js";

/** The resource tables counted, and the resource_type each count row carries (as in 0006). */
const counted = [
  { table: "users", type: "User" },
  { table: "groups", type: "Group" },
] as const;

/**
 * How many count rows a tenant's Users (or Groups) spread over on PostgreSQL. A transaction writes the
 * row of its transaction id modulo this; ids are handed out in order, so transactions running at the
 * same time land on different rows unless this many others began in between.
 */
export const resourceCountShards = 64;

/**
 * Version 9: resource_counts is keyed by (tenant_id, resource_type, shard), and a tenant's total and
 * revision are the sums over its shards. On PostgreSQL every transaction that inserted or deleted a
 * tenant's Users used to update the same row and hold its lock until COMMIT, so concurrent creates in
 * one tenant waited for each other's commits; now each transaction writes the row of its transaction
 * id (see resourceCountShards). Every shard's revision only grows, so their sum still goes up with every
 * insert and delete and never down; one shard's total may go below zero (a delete counted on another
 * row than the insert), the sum stays exact. SQLite has one writer and keeps everything in shard 0.
 * Existing rows become shard 0.
 */
export function resourceCountShardsMigration(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      if (dialect.name === "sqlite") await rebuildSqliteTable(db, dialect);
      else await shardPostgresTable(db);
    },
  };
}

/** SQLite cannot change a primary key in place: the table is rebuilt, and its triggers written again. */
async function rebuildSqliteTable(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  const text = sql.raw(dialect.columnTypes.text);
  // The triggers name resource_counts: drop them before the table they write to is replaced.
  for (const { table } of counted) {
    await sql`drop trigger ${sql.id(`resource_counts_${table}_insert`)}`.execute(db);
    await sql`drop trigger ${sql.id(`resource_counts_${table}_delete`)}`.execute(db);
  }
  await db.schema
    .createTable("resource_counts_sharded")
    .addColumn("tenant_id", text, (c) => c.notNull().references("tenants.id").onDelete("cascade"))
    .addColumn("resource_type", text, (c) => c.notNull())
    .addColumn("shard", "integer", (c) => c.notNull())
    .addColumn("total", "integer", (c) => c.notNull())
    .addColumn("revision", "bigint", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("resource_counts_pkey", ["tenant_id", "resource_type", "shard"])
    .execute();
  await sql`insert into resource_counts_sharded (tenant_id, resource_type, shard, total, revision) select tenant_id, resource_type, 0, total, revision from resource_counts`.execute(db);
  await db.schema.dropTable("resource_counts").execute();
  await db.schema.alterTable("resource_counts_sharded").renameTo("resource_counts").execute();
  for (const { table, type } of counted) {
    const kind = sql.lit(type);
    await sql`create trigger ${sql.id(`resource_counts_${table}_insert`)} after insert on ${sql.table(table)} begin
      insert into resource_counts (tenant_id, resource_type, shard, total, revision) values (new.tenant_id, ${kind}, 0, 1, 1)
        on conflict (tenant_id, resource_type, shard) do update set total = total + 1, revision = revision + 1;
    end`.execute(db);
    await sql`create trigger ${sql.id(`resource_counts_${table}_delete`)} after delete on ${sql.table(table)} begin
      update resource_counts set total = total - 1, revision = revision + 1 where tenant_id = old.tenant_id and resource_type = ${kind} and shard = 0;
    end`.execute(db);
  }
}

/**
 * PostgreSQL: the shard joins the primary key, and the statement triggers of 0006 call functions that
 * upsert into the shard of the current transaction, for inserts and deletes alike. A delete that is a
 * tenant's cascade counts nothing: the tenant is already gone (a new count row would break the foreign
 * key), and its count rows go with it.
 */
async function shardPostgresTable(db: Kysely<any>): Promise<void> {
  await sql`alter table resource_counts add column shard integer not null default 0`.execute(db);
  await sql`alter table resource_counts drop constraint resource_counts_pkey`.execute(db);
  await sql`alter table resource_counts add constraint resource_counts_pkey primary key (tenant_id, resource_type, shard)`.execute(db);
  await sql`alter table resource_counts alter column shard drop default`.execute(db);
  const shard = sql`(pg_current_xact_id()::text::bigint % ${sql.lit(resourceCountShards)})::integer`;
  for (const { table, type } of counted) {
    const kind = sql.lit(type);
    await sql`create or replace function ${sql.id(`resource_counts_${table}_added`)}() returns trigger language plpgsql as $$
      begin
        insert into resource_counts (tenant_id, resource_type, shard, total, revision)
          select tenant_id, ${kind}, ${shard}, count(*), count(*) from inserted_rows group by tenant_id
          on conflict (tenant_id, resource_type, shard) do update
            set total = resource_counts.total + excluded.total, revision = resource_counts.revision + excluded.revision;
        return null;
      end $$`.execute(db);
    await sql`create or replace function ${sql.id(`resource_counts_${table}_removed`)}() returns trigger language plpgsql as $$
      begin
        insert into resource_counts (tenant_id, resource_type, shard, total, revision)
          select d.tenant_id, ${kind}, ${shard}, -count(*), count(*) from deleted_rows d
            where exists (select 1 from tenants t where t.id = d.tenant_id)
            group by d.tenant_id
          on conflict (tenant_id, resource_type, shard) do update
            set total = resource_counts.total + excluded.total, revision = resource_counts.revision + excluded.revision;
        return null;
      end $$`.execute(db);
  }
}
