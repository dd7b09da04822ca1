import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver, type SqliteDialectConfig } from "kysely";

/** How a connection's transactions begin: `immediate` takes the write lock up front, `deferred` reads a snapshot. */
export type SqliteTransactionMode = "immediate" | "deferred";

class ModalSqliteDriver extends SqliteDriver {
  private readonly begin: CompiledQuery;

  constructor(config: SqliteDialectConfig, mode: SqliteTransactionMode) {
    super(config);
    this.begin = CompiledQuery.raw(mode === "immediate" ? "begin immediate" : "begin deferred");
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
 * upgrade read locks, and migrations run under the lock); migrations run inside a transaction.
 */
export class ModalSqliteDialect extends SqliteDialect {
  private readonly config: SqliteDialectConfig;
  private readonly mode: SqliteTransactionMode;

  constructor(config: SqliteDialectConfig, mode: SqliteTransactionMode) {
    super(config);
    this.config = config;
    this.mode = mode;
  }

  override createDriver(): Driver {
    return new ModalSqliteDriver(this.config, this.mode);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlAdapter();
  }
}
