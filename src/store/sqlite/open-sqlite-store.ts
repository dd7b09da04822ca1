import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely } from "kysely";
import { parseDateTime } from "../../scim/filter/parse-date-time.js";
import { foldCase } from "../../scim/fold.js";
import { prepareSchema } from "../migrations/migrate-to-latest.js";
import type { SchemaPolicy } from "../migrations/schema-status.js";
import type { Database } from "../schema.js";
import { SqlStore } from "../sql/sql-store.js";
import { StoreTelemetry } from "../sql/store-telemetry.js";
import { foldFunctionName, instantFunctionName, sqliteDialect } from "./sqlite-dialect.js";
import { ModalSqliteDialect, type SqliteTransactionMode } from "./sqlite-kysely-dialect.js";
import { SqliteStatementRunner } from "./sqlite-statement-runner.js";
import { StatementCache } from "./statement-cache.js";
import { defaultStatisticsRefreshMs, refreshStatisticsPragma, scheduleStatisticsRefresh } from "./statistics-refresh.js";

/** Tuning of a SQLite store. */
export interface SqliteStoreOptions {
  /** How long a write waits for another process's write lock (another worker, the CLI writing while the server runs), on a timer that leaves the event loop free. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Prepared statements kept per connection. Default 256. */
  readonly statementCacheSize?: number;
  /** What to do with the schema on open (default: migrate it to the latest version). */
  readonly schema?: SchemaPolicy;
  /** How often planner statistics are refreshed while the store is open (default hourly; see statistics-refresh.ts). */
  readonly statisticsRefreshMs?: number;
  /**
   * The writer connection's page cache in KiB (default: SQLite's own, 2 MiB). Bulk loading a large
   * database (the bench's generator) needs the indexes' pages in memory; reads leave caching to the OS.
   */
  readonly writerCacheKiB?: number;
}

/** The connection settings of SqliteStoreOptions, with defaults applied. */
export type ConnectionSettings = Required<Omit<SqliteStoreOptions, "schema" | "statisticsRefreshMs" | "writerCacheKiB">>;

/** Every commit of the one writer connection waits for an fsync (synchronous=FULL): concurrent writes share them. */
const groupCommit = { begin: "begin immediate" };

/** The filename that opens a private in-memory database. */
export const memoryFilename = ":memory:";

/**
 * Opens one better-sqlite3 connection with Muster's settings: WAL (file databases), synchronous=FULL,
 * foreign keys on, a busy timeout, the fold and instant functions; a reader is query_only.
 */
export function openSqliteConnection(filename: string, options: ConnectionSettings, role: "writer" | "reader"): BetterSqlite3.Database {
  const db = new BetterSqlite3(filename, { timeout: options.busyTimeoutMs });
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
    if (role === "writer" && filename !== memoryFilename) db.pragma("journal_mode = WAL");
    // FULL syncs the WAL on every commit: an acknowledged write survives a process kill and a power cut.
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    if (role === "reader") db.pragma("query_only = ON");
    db.function(foldFunctionName, { deterministic: true }, (value: unknown) => (typeof value === "string" ? foldCase(value) : value));
    db.function(instantFunctionName, { deterministic: true }, (value: unknown) => (typeof value === "string" ? (parseDateTime(value)?.getTime() ?? null) : null));
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function kyselyOn(db: BetterSqlite3.Database, options: ConnectionSettings, mode: SqliteTransactionMode, telemetry: StoreTelemetry, lockWaitMillis?: number): Kysely<Database> {
  return new Kysely<Database>({ dialect: new ModalSqliteDialect({ database: new StatementCache(db, options.statementCacheSize, telemetry) }, mode, lockWaitMillis) });
}

/**
 * Opens (creating it and its directory when missing) the SQLite database at `filename`, or a private
 * in-memory one for ":memory:", and migrates it to the latest schema (see `options.schema`). A file database gets a writer
 * connection (WAL, BEGIN IMMEDIATE transactions), a read-only connection for snapshot reads, so
 * reads never queue behind a write in progress, and a read-only one for single-statement lookups.
 */
export async function openSqliteStore(filename: string, options: SqliteStoreOptions = {}): Promise<SqlStore> {
  const settings: ConnectionSettings = { busyTimeoutMs: options.busyTimeoutMs ?? 5000, statementCacheSize: options.statementCacheSize ?? 256 };
  const memory = filename === memoryFilename;
  if (!memory) mkdirSync(dirname(resolve(filename)), { recursive: true });

  // Both connections report their statements here; the server's metrics attach with Store.observe.
  const telemetry = new StoreTelemetry();
  const writerDb = openSqliteConnection(filename, settings, "writer");
  // The writer waits for another process's lock (another worker of `muster serve --workers`, the CLI) on a
  // timer instead of inside SQLite, whose busy handler sleeps and would stall the event loop meanwhile.
  writerDb.pragma("busy_timeout = 0");
  if (options.writerCacheKiB !== undefined) writerDb.pragma(`cache_size = -${Math.max(0, Math.floor(options.writerCacheKiB))}`);
  const writer = kyselyOn(writerDb, settings, "immediate", telemetry, settings.busyTimeoutMs);
  try {
    await prepareSchema(writer, sqliteDialect, options.schema);
  } catch (error) {
    await writer.destroy();
    throw error;
  }
  // SQLite's advice for long-lived connections: refresh planner statistics when opening, periodically, and before closing.
  const refreshStatistics = () => {
    try {
      writerDb.pragma(refreshStatisticsPragma);
    } catch {
      // Best effort: another process may hold the lock; opening and closing must not fail for statistics.
    }
  };
  refreshStatistics();
  const schedule = scheduleStatisticsRefresh(writer, options.statisticsRefreshMs ?? defaultStatisticsRefreshMs);
  const closeWriter = async () => {
    await schedule.stop();
    refreshStatistics();
    await writer.destroy();
  };
  if (memory) {
    return new SqlStore({ dialect: sqliteDialect, writer, reader: writer, close: closeWriter, groupCommit, telemetry });
  }
  const reader = kyselyOn(openSqliteConnection(filename, settings, "reader"), settings, "deferred", telemetry);
  // The hot single-statement reads get a connection of their own, never inside a transaction.
  const lookupRunner = new SqliteStatementRunner(openSqliteConnection(filename, settings, "reader"), telemetry);
  return new SqlStore({
    dialect: sqliteDialect,
    writer,
    reader,
    lookupRunner,
    groupCommit,
    telemetry,
    close: async () => {
      lookupRunner.close();
      await reader.destroy();
      await closeWriter();
    },
  });
}
