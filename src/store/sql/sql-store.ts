import type { Kysely } from "kysely";
import { scimError } from "../../scim/errors.js";
import type { Database } from "../schema.js";
import { migrateToLatest, schemaStatus } from "../migrations/migrate-to-latest.js";
import type { ResourceLookup, SchemaStatus, Store, StoreSession } from "../store.js";
import type { PoolUsage, StoreObserver } from "../store-observer.js";
import { SqlActivityRepository } from "./activity-repository.js";
import { SqlAuditRepository } from "./audit-repository.js";
import { SqlChangeFeed } from "./change-feed.js";
import { SqlOutboundRepository } from "./outbound-repository.js";
import { CommitGroup } from "./commit-group.js";
import { SqlAdminRepository, SqlAdminSessionRepository, SqlSetupLinkRepository } from "./admin-account-repositories.js";
import { SqlSettingsRepository, SqlTenantRepository, SqlTokenRepository } from "./admin-repositories.js";
import type { SqlDialect } from "./dialect.js";
import { SqlLoginFailureRepository } from "./login-failure-repository.js";
import { KyselyStatementRunner } from "./kysely-statement-runner.js";
import { PagePositions } from "./page-positions.js";
import { SqlResourceLookup, type StatementRunner } from "./resource-lookup.js";
import { SqlResourceRepository } from "./resource-repository.js";
import { StoreTelemetry } from "./store-telemetry.js";
import { SqlTransferRepository } from "./transfer-repository.js";

/** How often a transaction that the database rolled back to resolve a conflict is run in all. */
const maxAttempts = 4;

/** A random wait that grows with the attempt, so transactions that collided do not collide again in step. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
}

/** The connections a SqlStore runs on; how transactions begin (locks, isolation) is the driver's business. */
export interface SqlStoreConnections {
  readonly dialect: SqlDialect;
  /** Its transactions take the write lock when they begin (SQLite: BEGIN IMMEDIATE). */
  readonly writer: Kysely<Database>;
  /** Its transactions read one consistent snapshot; may be the writer itself. */
  readonly reader: Kysely<Database>;
  /** Where single-statement lookups run (default: through the reader's connection, outside transactions). */
  readonly lookupRunner?: StatementRunner;
  /** Releases the connections. */
  readonly close: () => Promise<void>;
  /**
   * The writer is one connection whose commits each wait for a flush to disk (SQLite): concurrent writes
   * then share one transaction and one flush (CommitGroup), opened with this statement.
   */
  readonly groupCommit?: { readonly begin: string };
  /** Where the connections report their statements; SqlStore reports its group commits there too. */
  readonly telemetry?: StoreTelemetry;
  /** The connection pool's use right now, where there is a pool. */
  readonly poolUsage?: () => PoolUsage;
}

/**
 * The repositories of one transaction; `lockRows` makes reads lock what a write transaction may change;
 * `positions` (read transactions only) lets index pages continue where earlier pages ended.
 */
function sessionOf(db: Kysely<Database>, dialect: SqlDialect, lockRows: boolean, positions?: PagePositions): StoreSession {
  return {
    resources: new SqlResourceRepository(db, dialect, lockRows, positions),
    tenants: new SqlTenantRepository(db, dialect, lockRows),
    tokens: new SqlTokenRepository(db),
    settings: new SqlSettingsRepository(db),
    activity: new SqlActivityRepository(db, dialect),
    admins: new SqlAdminRepository(db, dialect),
    adminSessions: new SqlAdminSessionRepository(db),
    setupLinks: new SqlSetupLinkRepository(db),
    loginFailures: new SqlLoginFailureRepository(db),
    audit: new SqlAuditRepository(db, dialect),
    transfer: new SqlTransferRepository(db, dialect),
    changes: new SqlChangeFeed(db, dialect),
    outbound: new SqlOutboundRepository(db, dialect, lockRows),
  };
}

/**
 * The Store for any SQL database Kysely reaches: repositories are written once against Kysely and the
 * dialect object. `write` resolves after COMMIT and rolls back when `work` throws. Do not call `read` or
 * `write` from inside `work`: a session is one connection, and nesting would wait for itself.
 */
export class SqlStore implements Store {
  readonly dialect: SqlDialect["name"];
  readonly lookup: ResourceLookup;
  private readonly connections: SqlStoreConnections;
  private readonly commitGroup: CommitGroup<StoreSession> | undefined;
  private readonly telemetry: StoreTelemetry;
  /** Where this process's recent index pages ended, shared by its read transactions. */
  private readonly pagePositions = new PagePositions();
  private closed = false;

  constructor(connections: SqlStoreConnections) {
    this.connections = connections;
    this.dialect = connections.dialect.name;
    const { groupCommit, writer, dialect } = connections;
    this.telemetry = connections.telemetry ?? new StoreTelemetry();
    this.lookup = new SqlResourceLookup(dialect, connections.lookupRunner ?? new KyselyStatementRunner(connections.reader));
    this.commitGroup = groupCommit && new CommitGroup({ writer, begin: groupCommit.begin, session: (db) => sessionOf(db, dialect, false), telemetry: this.telemetry });
  }

  observe(observer: StoreObserver): () => void {
    return this.telemetry.observe(observer);
  }

  poolUsage(): PoolUsage | undefined {
    return this.connections.poolUsage?.();
  }

  async read<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    return this.run(this.connections.reader, work, false, this.pagePositions);
  }

  async write<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    if (this.commitGroup) {
      this.assertOpen();
      return this.commitGroup.submit(work).catch((error: unknown) => {
        throw this.unavailableIfBusy(error);
      });
    }
    return this.run(this.connections.writer, work, this.connections.dialect.supportsRowLocks);
  }

  async schemaStatus(): Promise<SchemaStatus> {
    this.assertOpen();
    return schemaStatus(this.connections.writer, this.connections.dialect);
  }

  async migrate(): Promise<string[]> {
    this.assertOpen();
    return migrateToLatest(this.connections.writer, this.connections.dialect);
  }

  private async run<T>(db: Kysely<Database>, work: (session: StoreSession) => Promise<T>, lockRows: boolean, positions?: PagePositions): Promise<T> {
    this.assertOpen();
    const { dialect } = this.connections;
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction().execute((trx) => work(sessionOf(trx, dialect, lockRows, positions)));
      } catch (error) {
        // The database rolled the whole transaction back (deadlock between nodes): running it again usually succeeds.
        if (dialect.isRetryable(error) && attempt < maxAttempts) {
          await pause(attempt);
          continue;
        }
        throw this.unavailableIfBusy(error);
      }
    }
  }

  /** A lock held too long by another process is worth retrying; say so instead of failing with a 500. */
  private unavailableIfBusy(error: unknown): unknown {
    const { dialect } = this.connections;
    if (dialect.isBusy(error) || dialect.isRetryable(error)) return scimError("unavailable", "The database is busy; retry in a moment. Nothing was written.", { "Retry-After": "1" });
    return error;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commitGroup?.idle();
    await this.connections.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("the store is closed");
  }
}
