import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../sql/dialect.js";

/** The resource tables whose rows the feed records, and the resource_type each change carries. */
const recorded = [
  { table: "users", type: "User" },
  { table: "groups", type: "Group" },
] as const;

/**
 * Version 10: the change feed. Every insert, attribute change and delete of a User or Group, and every
 * membership row added or removed, records one row in `changes`, written by triggers in the same
 * transaction as the write itself, so no code path can write without recording and nothing is recorded
 * that did not commit. Consumers (outbound apps, later webhooks and the events API) follow the feed
 * from checkpoints of their own in `feed_checkpoints`.
 *
 * Order: a change's position is (txid, seq). SQLite has one writer, so `seq` (AUTOINCREMENT: never
 * reused, even after pruning) is commit order and txid stays 0. On PostgreSQL transactions commit in
 * any order, so `seq` alone is not: txid is the writing transaction's id (pg_current_xact_id), and a
 * reader only reads changes of transactions older than its snapshot's xmin, all of which have ended;
 * a later-committing transaction always has a txid at or above that horizon, so a checkpoint never
 * passes a change that is not visible yet. See src/store/sql/change-feed.ts.
 *
 * What a change holds: `document` is the attribute document after a create or update and before a
 * delete; `changed` lists the top-level attribute names an update changed; membership changes name the
 * member. An update that changes no attribute (a group's version bump after a membership change)
 * records nothing itself. Deleting a group records `deleted` and not one removal per member; deleting a
 * user records one `member_removed` per group it was in, then `deleted`. Deleting a tenant records
 * nothing (its changes go with it). No foreign key to tenants: on PostgreSQL its check would share-lock
 * the tenant row in every write.
 */
export function changeFeedMigration(dialect: SqlDialect): Migration {
  const text = sql.raw(dialect.columnTypes.text);
  const json = sql.raw(dialect.columnTypes.json);
  return {
    async up(db: Kysely<any>): Promise<void> {
      if (dialect.name === "sqlite") {
        await sql`create table changes (
          seq integer primary key autoincrement,
          tenant_id text not null,
          txid integer not null default 0,
          at text not null,
          resource_type text not null,
          resource_id text not null,
          action text not null,
          member_id text,
          member_type text,
          changed text,
          document text
        )`.execute(db);
      } else {
        await sql`create table changes (
          seq bigint generated always as identity primary key,
          tenant_id ${text} not null,
          txid bigint not null,
          at ${text} not null,
          resource_type ${text} not null,
          resource_id ${text} not null,
          action ${text} not null,
          member_id ${text},
          member_type ${text},
          changed ${json},
          document ${json}
        )`.execute(db);
      }
      await db.schema.createIndex("changes_feed").on("changes").columns(["tenant_id", "txid", "seq"]).execute();
      await db.schema.createIndex("changes_at").on("changes").columns(["at", "seq"]).execute();
      await db.schema
        .createTable("feed_checkpoints")
        .addColumn("tenant_id", text, (c) => c.notNull().references("tenants.id").onDelete("cascade"))
        .addColumn("consumer", text, (c) => c.notNull())
        .addColumn("txid", "bigint", (c) => c.notNull())
        .addColumn("seq", "bigint", (c) => c.notNull())
        .addColumn("updated_at", text, (c) => c.notNull())
        .addPrimaryKeyConstraint("feed_checkpoints_pkey", ["tenant_id", "consumer"])
        .execute();
      if (dialect.name === "sqlite") await createSqliteTriggers(db);
      else await createPostgresTriggers(db);
    },
  };
}

/** SQLite's time of "now" in Muster's timestamp format (ISO 8601 UTC with milliseconds). */
const sqliteNow = sql.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`);

/** The top-level attribute names whose values differ between two JSON documents, as a JSON array (SQLite). */
function sqliteChangedNames(before: string, after: string) {
  const b = sql.raw(before);
  const a = sql.raw(after);
  return sql`(select json_group_array(key) from (
      select n.key as key from json_each(${a}) n left join json_each(${b}) o on o.key = n.key
        where o.key is null or o.type is not n.type or o.value is not n.value
      union
      select o.key from json_each(${b}) o where not exists (select 1 from json_each(${a}) n where n.key = o.key)
      order by 1))`;
}

async function createSqliteTriggers(db: Kysely<any>): Promise<void> {
  for (const { table, type } of recorded) {
    const kind = sql.lit(type);
    await sql`create trigger ${sql.id(`changes_${table}_insert`)} after insert on ${sql.table(table)} begin
      insert into changes (tenant_id, at, resource_type, resource_id, action, document)
        values (new.tenant_id, new.created_at, ${kind}, new.id, 'created', new.attributes);
    end`.execute(db);
    await sql`create trigger ${sql.id(`changes_${table}_update`)} after update of attributes on ${sql.table(table)}
      when old.attributes is not new.attributes begin
      insert into changes (tenant_id, at, resource_type, resource_id, action, changed, document)
        values (new.tenant_id, new.last_modified_at, ${kind}, new.id, 'updated', ${sqliteChangedNames("old.attributes", "new.attributes")}, new.attributes);
    end`.execute(db);
    // A tenant's deletion removes the tenant row first, and its cascades then record nothing.
    await sql`create trigger ${sql.id(`changes_${table}_delete`)} after delete on ${sql.table(table)}
      when exists (select 1 from tenants where id = old.tenant_id) begin
      insert into changes (tenant_id, at, resource_type, resource_id, action, document)
        values (old.tenant_id, ${sqliteNow}, ${kind}, old.id, 'deleted', old.attributes);
    end`.execute(db);
  }
  await sql`create trigger changes_group_members_insert after insert on group_members begin
    insert into changes (tenant_id, at, resource_type, resource_id, action, member_id, member_type)
      values (new.tenant_id, ${sqliteNow}, 'Group', new.group_id, 'member_added', new.member_id, new.member_type);
  end`.execute(db);
  // A group's deletion removes the group row first; the cascade to its members then records nothing.
  await sql`create trigger changes_group_members_delete after delete on group_members
    when exists (select 1 from groups where tenant_id = old.tenant_id and id = old.group_id) begin
    insert into changes (tenant_id, at, resource_type, resource_id, action, member_id, member_type)
      values (old.tenant_id, ${sqliteNow}, 'Group', old.group_id, 'member_removed', old.member_id, old.member_type);
  end`.execute(db);
}

/** PostgreSQL's statement time in Muster's timestamp format. */
const postgresNow = sql.raw(`to_char(statement_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
const postgresTxid = sql.raw("pg_current_xact_id()::text::bigint");

/**
 * PostgreSQL: statement triggers with transition tables, as the counts of 0006/0009, so an INSERT …
 * SELECT of a thousand members records them in one statement. A trigger with transition tables may
 * have one event only, hence one function per table and event.
 */
async function createPostgresTriggers(db: Kysely<any>): Promise<void> {
  const functions: { name: string; table: string; event: "insert" | "update" | "delete"; body: ReturnType<typeof sql> }[] = [];
  for (const { table, type } of recorded) {
    const kind = sql.lit(type);
    functions.push({
      name: `changes_${table}_inserted`,
      table,
      event: "insert",
      body: sql`insert into changes (tenant_id, txid, at, resource_type, resource_id, action, document)
        select n.tenant_id, ${postgresTxid}, n.created_at, ${kind}, n.id, 'created', n.attributes from new_rows n order by n.id`,
    });
    functions.push({
      name: `changes_${table}_updated`,
      table,
      event: "update",
      body: sql`insert into changes (tenant_id, txid, at, resource_type, resource_id, action, changed, document)
        select n.tenant_id, ${postgresTxid}, n.last_modified_at, ${kind}, n.id, 'updated',
          (select coalesce(jsonb_agg(d.key order by d.key), '[]'::jsonb) from (
             select e.key from jsonb_each(n.attributes) e where (o.attributes -> e.key) is distinct from e.value
             union
             select e.key from jsonb_each(o.attributes) e where not (n.attributes ? e.key)) d),
          n.attributes
        from new_rows n join old_rows o on o.tenant_id = n.tenant_id and o.id = n.id
        where n.attributes is distinct from o.attributes order by n.id`,
    });
    functions.push({
      name: `changes_${table}_deleted`,
      table,
      event: "delete",
      body: sql`insert into changes (tenant_id, txid, at, resource_type, resource_id, action, document)
        select o.tenant_id, ${postgresTxid}, ${postgresNow}, ${kind}, o.id, 'deleted', o.attributes from old_rows o
        where exists (select 1 from tenants t where t.id = o.tenant_id) order by o.id`,
    });
  }
  functions.push({
    name: "changes_group_members_inserted",
    table: "group_members",
    event: "insert",
    body: sql`insert into changes (tenant_id, txid, at, resource_type, resource_id, action, member_id, member_type)
      select n.tenant_id, ${postgresTxid}, ${postgresNow}, 'Group', n.group_id, 'member_added', n.member_id, n.member_type from new_rows n
      order by n.group_id, n.member_id`,
  });
  functions.push({
    name: "changes_group_members_deleted",
    table: "group_members",
    event: "delete",
    body: sql`insert into changes (tenant_id, txid, at, resource_type, resource_id, action, member_id, member_type)
      select o.tenant_id, ${postgresTxid}, ${postgresNow}, 'Group', o.group_id, 'member_removed', o.member_id, o.member_type from old_rows o
      where exists (select 1 from groups g where g.tenant_id = o.tenant_id and g.id = o.group_id) order by o.group_id, o.member_id`,
  });
  for (const { name, table, event, body } of functions) {
    await sql`create function ${sql.id(name)}() returns trigger language plpgsql as $$
      begin
        ${body};
        return null;
      end $$`.execute(db);
    const transition = event === "insert" ? sql`new table as new_rows` : event === "delete" ? sql`old table as old_rows` : sql`old table as old_rows new table as new_rows`;
    await sql`create trigger ${sql.id(name)} after ${sql.raw(event)} on ${sql.table(table)}
      referencing ${transition} for each statement execute function ${sql.id(name)}()`.execute(db);
  }
}
