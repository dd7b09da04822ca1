/**
 * What a store reports about its own work, for whoever watches it (the server's metrics). The store
 * imports no metrics library: the server implements this interface and attaches it with
 * `Store.observe`. Calls are synchronous and happen on every statement, so implementations must be cheap.
 */

/** What an SQL statement does, as statement metrics count it. */
export type StatementKind = "select" | "insert" | "update" | "delete" | "transaction" | "other";

/** Every StatementKind, in a fixed order (metrics bind one series per kind up front). */
export const statementKinds: readonly StatementKind[] = ["select", "insert", "update", "delete", "transaction", "other"];

/** Receives a store's reports. */
export interface StoreObserver {
  /** A statement ran for `seconds`; `failed` when the database refused it (a unique violation, a busy lock…). */
  statement(kind: StatementKind, seconds: number, failed: boolean): void;
  /** A write waited `seconds` from being submitted until its group's transaction began (SQLite group commit). */
  writeQueued(seconds: number): void;
  /** A group transaction committed `size` (≥ 1) writes; its COMMIT, the flush to disk, took `commitSeconds` (SQLite group commit). */
  groupCommitted(size: number, commitSeconds: number): void;
}

/** A connection pool's use at one moment (PostgreSQL). */
export interface PoolUsage {
  /** Connections open, idle or in use. */
  readonly total: number;
  readonly idle: number;
  /** Requests waiting for a connection because all are in use. */
  readonly waiting: number;
  /** The most connections the pool opens. */
  readonly max: number;
}
