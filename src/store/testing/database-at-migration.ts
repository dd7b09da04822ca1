import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { migrations } from "../migrations/migrate-to-latest.js";
import { postgresDialect } from "../postgres/postgres-dialect.js";
import { sqliteDialect } from "../sqlite/sqlite-dialect.js";
import { createTestPostgresDatabase, dropTestPostgresDatabase, testDatabaseKind } from "./test-database.js";

/** A test database as an older build left it. */
export interface OldDatabase {
  readonly url: string;
  /** A Kysely connection of its own, for writing rows the way that schema stores them; the caller destroys it. */
  readonly db: Kysely<any>;
  /** Removes the database (drops it, or deletes its directory). */
  readonly remove: () => Promise<void>;
}

/**
 * A new database of the test project's kind (MUSTER_TEST_DATABASE) migrated up to and including
 * `migration`, so a test can fill it as that schema stores rows and then run the later migrations.
 */
export async function openDatabaseAtMigration(migration: string): Promise<OldDatabase> {
  let url: string;
  let db: Kysely<any>;
  let remove: () => Promise<void>;
  if (testDatabaseKind() === "postgres") {
    const created = await createTestPostgresDatabase();
    url = created;
    remove = () => dropTestPostgresDatabase(created);
    db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
  } else {
    const dir = mkdtempSync(join(tmpdir(), `muster-at-${migration.slice(0, 4)}-`));
    url = `sqlite:${join(dir, "old.db")}`;
    remove = async () => rmSync(dir, { recursive: true, force: true });
    db = new Kysely({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, "old.db")) }) });
  }
  const all = migrations(testDatabaseKind() === "postgres" ? postgresDialect : sqliteDialect);
  const migrated = await new Migrator({ db, provider: { getMigrations: async () => all } }).migrateTo(migration);
  if (migrated.error !== undefined) {
    await db.destroy();
    await remove();
    throw new Error(`migrating the test database to ${migration} failed: ${String(migrated.error)}`);
  }
  return { url, db, remove };
}
