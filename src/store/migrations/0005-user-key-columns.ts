import { sql, type Kysely, type Migration } from "kysely";
import type { JsonObject } from "../../scim/json.js";
import type { SqlDialect } from "../sql/dialect.js";
import { userKeyValues, type UserKeyColumn } from "../sql/key-columns.js";

/** The columns this migration adds, named here so that later additions to key-columns.ts need their own migration. */
const added: readonly UserKeyColumn[] = ["given_name_key", "family_name_key", "display_name_key"];

const batchSize = 1000;
const trigramTable = "users_user_name_trigrams";

/**
 * Version 5: users get the key columns of src/store/sql/key-columns.ts (folded name.givenName,
 * name.familyName and displayName), filled from the documents
 * of existing users with the same foldCase the store writes them with, each with an index (tenant_id,
 * column, id); and user_name_key gets a trigram index for `userName co`: an FTS5 table kept by triggers
 * on SQLite, a pg_trgm GIN index on PostgreSQL (when the extension is there or may be created).
 */
export function userKeyColumnsMigration(dialect: SqlDialect): Migration {
  const text = sql.raw(dialect.columnTypes.text);
  return {
    async up(db: Kysely<any>): Promise<void> {
      for (const column of added) await db.schema.alterTable("users").addColumn(column, text).execute();
      await backfill(db);
      // After the backfill: building an index once is cheaper than updating it a million times.
      for (const column of added) await db.schema.createIndex(`users_${column}`).on("users").columns(["tenant_id", column, "id"]).execute();
      if (dialect.name === "sqlite") {
        await createSqliteTrigrams(db);
        await analyzeSqlite(db, added.map((column) => `users_${column}`));
      } else {
        await createPostgresTrigrams(db);
        await sql`analyze users`.execute(db);
      }
    },
  };
}

/** Fills the new columns of every existing user, a batch at a time in (tenant_id, id) order. */
async function backfill(db: Kysely<any>): Promise<void> {
  let after: { tenant_id: string; id: string } | undefined;
  for (;;) {
    let query = db.selectFrom("users").select(["tenant_id", "id", "attributes"]).orderBy("tenant_id").orderBy("id").limit(batchSize);
    if (after) query = query.where(sql`(tenant_id, id)`, ">", sql`(${after.tenant_id}, ${after.id})`);
    const rows: { tenant_id: string; id: string; attributes: string | JsonObject }[] = await query.execute();
    const updates = rows
      // Muster's connections hand documents over as text; a driver left to its defaults parses jsonb.
      .map((row) => ({ row, keys: userKeyValues(typeof row.attributes === "string" ? (JSON.parse(row.attributes) as JsonObject) : row.attributes) }))
      .filter(({ keys }) => added.some((column) => keys[column] !== null));
    if (updates.length > 0) {
      // VALUES columns are column1, column2, … on both databases (SQLite cannot name them).
      const values = updates.map(({ row, keys }) => sql`(${sql.join([row.tenant_id, row.id, ...added.map((column) => keys[column])])})`);
      const assignments = added.map((column, index) => sql`${sql.id(column)} = ${sql.ref(`v.column${index + 3}`)}`);
      await sql`update users set ${sql.join(assignments)} from (values ${sql.join(values)}) as v where users.tenant_id = v.column1 and users.id = v.column2`.execute(db);
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return;
    after = { tenant_id: last.tenant_id, id: last.id };
  }
}

/**
 * SQLite: an external-content FTS5 table over users.user_name_key (rowid = the user row's rowid), kept
 * in step by triggers, so every way a users row changes (the store, `muster copy`, a tenant's cascading
 * delete) changes the index too. case_sensitive 1: the column is folded already, and the index must
 * hold it as it is. columnsize=0: no ranking, so no per-row sizes to store.
 */
async function createSqliteTrigrams(db: Kysely<any>): Promise<void> {
  const table = sql.table(trigramTable);
  await sql`create virtual table ${table} using fts5(user_name_key, content='users', content_rowid='rowid', tokenize='trigram case_sensitive 1', columnsize=0)`.execute(db);
  const remove = sql`insert into ${table}(${table}, rowid, user_name_key) values ('delete', old.rowid, old.user_name_key);`;
  const add = sql`insert into ${table}(rowid, user_name_key) values (new.rowid, new.user_name_key);`;
  await sql`create trigger ${sql.id(`${trigramTable}_insert`)} after insert on users begin ${add} end`.execute(db);
  await sql`create trigger ${sql.id(`${trigramTable}_delete`)} after delete on users begin ${remove} end`.execute(db);
  // The store sets user_name_key on every update; only a changed name needs the index touched.
  await sql`create trigger ${sql.id(`${trigramTable}_update`)} after update of user_name_key on users when old.user_name_key is not new.user_name_key begin ${remove} ${add} end`.execute(db);
  await sql`insert into ${table}(${table}) values ('rebuild')`.execute(db);
}

/**
 * SQLite: planner statistics for the new indexes when the database has statistics (PRAGMA optimize
 * writes them at shutdown). Without them the planner rates an unanalyzed (tenant_id, …) index as far
 * more selective than the analyzed ones and reads whole tenants through it. The sample limit is the one
 * PRAGMA optimize applies, so the new figures are comparable with the old.
 */
async function analyzeSqlite(db: Kysely<any>, indexes: readonly string[]): Promise<void> {
  const stats = await sql<{ found: number }>`select count(*) as found from sqlite_schema where name = 'sqlite_stat1'`.execute(db);
  if (Number(stats.rows[0]?.found ?? 0) === 0) return;
  const limit = await sql<{ analysis_limit: number }>`pragma analysis_limit`.execute(db);
  const previous = Number(limit.rows[0]?.analysis_limit ?? 0);
  await sql`pragma analysis_limit = 2000`.execute(db);
  try {
    for (const index of indexes) await sql`analyze ${sql.id(index)}`.execute(db);
  } finally {
    await sql`pragma analysis_limit = ${sql.raw(String(Math.max(0, Math.floor(previous))))}`.execute(db);
  }
}

/**
 * PostgreSQL: a GIN index of user_name_key with pg_trgm's operator class. pg_trgm is a trusted
 * extension (PostgreSQL 13+), so a role that may create objects in the database can install it; where
 * it is neither installed nor installable, `userName co` stays correct and scans instead.
 */
async function createPostgresTrigrams(db: Kysely<any>): Promise<void> {
  const installedSchema = async () =>
    (await sql<{ schema: string }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db)).rows[0]?.schema;
  let schema = await installedSchema();
  if (schema === undefined) {
    const check = await sql<{ available: boolean; allowed: boolean }>`select exists (select 1 from pg_available_extensions where name = 'pg_trgm') as available, has_database_privilege(current_database(), 'CREATE') as allowed`.execute(db);
    if (!check.rows[0]?.available || !check.rows[0].allowed) return;
    await sql`create extension if not exists pg_trgm`.execute(db);
    schema = await installedSchema();
    if (schema === undefined) return;
  }
  await sql`create index ${sql.id(trigramTable)} on users using gin (user_name_key ${sql.id(schema)}.gin_trgm_ops)`.execute(db);
}
