import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, type RawBuilder } from "kysely";
import pg from "pg";
import { parseDatabaseUrl } from "../open-store.js";

/**
 * A connection of a test's own to a database that a store (or a server) has open: for looking at rows
 * the Store interface does not return, such as a password hash. Statements are written once with
 * Kysely's `sql` tag and run on SQLite and PostgreSQL alike.
 */
export interface RawDatabase {
  /** Runs the statement and returns its rows as the database stores them (SQLite booleans are 0/1, counts may be text). */
  query<T>(query: RawBuilder<T>): Promise<T[]>;
  /** Ends the connection; later calls do nothing. */
  close(): Promise<void>;
}

function kyselyFor(url: string): Kysely<unknown> {
  const target = parseDatabaseUrl(url);
  if (target.kind === "postgres") return new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: target.url, max: 1 }) }) });
  const database = new BetterSqlite3(target.filename, { timeout: 5000, fileMustExist: true });
  database.pragma("foreign_keys = ON");
  return new Kysely({ dialect: new SqliteDialect({ database }) });
}

/** Opens a RawDatabase on the database a URL names (sqlite:<file> or postgres://…); connects on the first query. */
export function openRawDatabase(url: string): RawDatabase {
  let db: Kysely<unknown> | undefined;
  let closed = false;
  return {
    async query<T>(query: RawBuilder<T>): Promise<T[]> {
      if (closed) throw new Error("the raw database connection is closed");
      db ??= kyselyFor(url);
      return (await query.execute(db)).rows;
    },
    async close() {
      closed = true;
      await db?.destroy();
      db = undefined;
    },
  };
}
