import { performance } from "node:perf_hooks";
import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";
import type { StatementKind } from "../store-observer.js";
import { statementKindOf } from "../sql/statement-kind.js";
import type { StoreTelemetry } from "../sql/store-telemetry.js";

/**
 * A prepared statement that reports how long each run took to the store's telemetry. Its kind is read
 * from the SQL once, when it is prepared; with no observer attached a run only checks a flag.
 */
class ReportingStatement implements SqliteStatement {
  readonly reader: boolean;
  private readonly statement: BetterSqlite3.Statement;
  private readonly kind: StatementKind;
  private readonly telemetry: StoreTelemetry;

  constructor(statement: BetterSqlite3.Statement, sql: string, telemetry: StoreTelemetry) {
    this.statement = statement;
    this.reader = statement.reader;
    this.kind = statementKindOf(sql);
    this.telemetry = telemetry;
  }

  all(parameters: readonly unknown[]): unknown[] {
    if (!this.telemetry.active) return this.statement.all(parameters);
    const start = performance.now();
    try {
      const rows = this.statement.all(parameters);
      this.report(start, false);
      return rows;
    } catch (error) {
      this.report(start, true);
      throw error;
    }
  }

  run(parameters: readonly unknown[]): BetterSqlite3.RunResult {
    if (!this.telemetry.active) return this.statement.run(parameters);
    const start = performance.now();
    try {
      const result = this.statement.run(parameters);
      this.report(start, false);
      return result;
    } catch (error) {
      this.report(start, true);
      throw error;
    }
  }

  iterate(parameters: readonly unknown[]): IterableIterator<unknown> {
    const rows = this.statement.iterate(parameters);
    return this.telemetry.active ? this.timed(rows) : rows;
  }

  /** Streams the rows, counting only the time spent inside SQLite (not the time the consumer takes per row). */
  private *timed(rows: IterableIterator<unknown>): IterableIterator<unknown> {
    let seconds = 0;
    let failed = true;
    try {
      for (;;) {
        const start = performance.now();
        const next = rows.next();
        seconds += (performance.now() - start) / 1000;
        if (next.done) break;
        yield next.value;
      }
      failed = false;
    } finally {
      this.telemetry.statement(this.kind, seconds, failed);
    }
  }

  private report(start: number, failed: boolean): void {
    this.telemetry.statement(this.kind, (performance.now() - start) / 1000, failed);
  }
}

/**
 * A better-sqlite3 database as Kysely's SqliteDatabase, keeping the most recently used prepared
 * statements. Kysely's SQLite driver calls `prepare` for every query; preparing parses and plans the
 * SQL each time, which costs more than running a primary-key lookup, so repeated statements reuse it.
 * With a telemetry, every run of a statement is reported to it (kind and duration).
 */
export class StatementCache implements SqliteDatabase {
  private readonly db: BetterSqlite3.Database;
  private readonly capacity: number;
  private readonly telemetry: StoreTelemetry | undefined;
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(db: BetterSqlite3.Database, capacity: number, telemetry?: StoreTelemetry) {
    this.db = db;
    this.capacity = capacity;
    this.telemetry = telemetry;
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.statements.get(sql);
    if (cached) {
      // Map iteration order is insertion order: re-inserting marks the statement most recently used.
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const prepared = this.db.prepare(sql);
    const statement = this.telemetry ? new ReportingStatement(prepared, sql, this.telemetry) : prepared;
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
