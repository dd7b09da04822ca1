import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver, type QueryResult, type SqliteDialectConfig } from "kysely";

/** How a connection's transactions begin: `immediate` takes the write lock up front, `deferred` reads a snapshot. */
export type SqliteTransactionMode = "immediate" | "deferred";

/** The longest pause between two attempts to take the write lock. */
const maxLockRetryMillis = 2;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/**
 * A connection whose BEGIN IMMEDIATE waits for another process's write lock without blocking the event
 * loop: the connection's busy_timeout is 0, so SQLite answers SQLITE_BUSY at once, and the BEGIN is tried
 * again after a short timer until `lockWaitMillis` have passed. SQLite's own busy handler would sleep
 * inside the call, freezing every request of the process for as long as another worker or the CLI
 * writes. The timer stays at 1–2 ms: with 8 ms pauses, measured with two workers creating users, a
 * worker whose next group was ready took the lock again and again while the other slept, and the
 * slowest creates took twice as long. BEGIN and statements outside a transaction are retried: nothing
 * has run when they fail; inside a transaction the lock is already held.
 */
class LockWaitingConnection implements DatabaseConnection {
  private readonly inner: DatabaseConnection;
  private readonly lockWaitMillis: number;
  private inTransaction = false;

  constructor(inner: DatabaseConnection, lockWaitMillis: number) {
    this.inner = inner;
    this.lockWaitMillis = lockWaitMillis;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const begins = /^\s*begin\b/i.test(query.sql);
    // Inside a transaction the lock is held already; a statement outside one (the migrator's own table,
    // a PRAGMA) commits alone, so one refused with SQLITE_BUSY did nothing and can run again.
    if (this.inTransaction && !begins) return this.track(query, await this.inner.executeQuery<R>(query));
    const deadline = performance.now() + this.lockWaitMillis;
    for (let attempt = 0; ; attempt++) {
      try {
        return this.track(query, await this.inner.executeQuery<R>(query));
      } catch (error) {
        if (!isBusy(error) || performance.now() >= deadline) throw error;
        await sleep(Math.min(maxLockRetryMillis, 2 ** Math.floor(attempt / 2)));
      }
    }
  }

  /** Follows BEGIN, COMMIT and ROLLBACK (not savepoints), which all go through this connection. */
  private track<T>(query: CompiledQuery, result: T): T {
    if (/^\s*begin\b/i.test(query.sql)) this.inTransaction = true;
    else if (/^\s*(commit|end|rollback)\b(?!\s+to\b)/i.test(query.sql)) this.inTransaction = false;
    return result;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class ModalSqliteDriver extends SqliteDriver {
  private readonly begin: CompiledQuery;
  private readonly lockWaitMillis: number | undefined;
  private waiting: LockWaitingConnection | undefined;

  constructor(config: SqliteDialectConfig, mode: SqliteTransactionMode, lockWaitMillis: number | undefined) {
    super(config);
    this.begin = CompiledQuery.raw(mode === "immediate" ? "begin immediate" : "begin deferred");
    this.lockWaitMillis = lockWaitMillis;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    if (this.lockWaitMillis === undefined) return connection;
    // The driver has one connection: wrap it once.
    this.waiting ??= new LockWaitingConnection(connection, this.lockWaitMillis);
    return this.waiting;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(this.begin);
  }
}

// SQLite DDL is transactional; Kysely's adapter says otherwise, which would run each migration outside a transaction.
class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Kysely's SQLite dialect with a chosen BEGIN: the writer connection uses BEGIN IMMEDIATE, so a write
 * transaction holds the database write lock from its first statement (no deadlock when two processes
 * upgrade read locks, and migrations run under the lock); migrations run inside a transaction. With
 * `lockWaitMillis` (a writer whose busy_timeout is 0) a BEGIN IMMEDIATE that finds the lock taken is
 * retried on a timer for up to that long (see LockWaitingConnection).
 */
export class ModalSqliteDialect extends SqliteDialect {
  private readonly config: SqliteDialectConfig;
  private readonly mode: SqliteTransactionMode;
  private readonly lockWaitMillis: number | undefined;

  constructor(config: SqliteDialectConfig, mode: SqliteTransactionMode, lockWaitMillis?: number) {
    super(config);
    this.config = config;
    this.mode = mode;
    this.lockWaitMillis = lockWaitMillis;
  }

  override createDriver(): Driver {
    return new ModalSqliteDriver(this.config, this.mode, this.lockWaitMillis);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlAdapter();
  }
}
