import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/**
 * A better-sqlite3 database as Kysely's SqliteDatabase, keeping the most recently used prepared
 * statements. Kysely's SQLite driver calls `prepare` for every query; preparing parses and plans the
 * SQL each time, which costs more than running a primary-key lookup, so repeated statements reuse it.
 */
export class StatementCache implements SqliteDatabase {
  private readonly db: BetterSqlite3.Database;
  private readonly capacity: number;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(db: BetterSqlite3.Database, capacity: number) {
    this.db = db;
    this.capacity = capacity;
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.statements.get(sql);
    if (cached) {
      // Map iteration order is insertion order: re-inserting marks the statement most recently used.
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = this.db.prepare(sql);
    if (this.capacity > 0) {
      this.statements.set(sql, statement);
      if (this.statements.size > this.capacity) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
    }
    return statement;
  }

  /** Number of statements held. */
  get size(): number {
    return this.statements.size;
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}
