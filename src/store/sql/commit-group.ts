import { performance } from "node:perf_hooks";
import { setImmediate as nextTurn } from "node:timers";
import { sql, type Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { StoreTelemetry } from "./store-telemetry.js";

/** Most writes one shared transaction carries; bounds how long the first of them waits for its COMMIT. */
export const maxGroupSize = 64;

interface PendingWrite<S> {
  readonly work: (session: S) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** performance.now() at submit, for the wait reported to the telemetry. */
  readonly queuedAt: number;
}

/** How a CommitGroup reaches its database: the writer connection and a session on it. */
export interface CommitGroupOptions<S> {
  readonly writer: Kysely<Database>;
  /** The session (the Store's repositories) on the connection the group holds. */
  readonly session: (db: Kysely<Database>) => S;
  /** The statement that opens the shared transaction (SQLite: `begin immediate`, taking the write lock). */
  readonly begin: string;
  /** Where waits, group sizes and COMMIT times are reported. */
  readonly telemetry?: StoreTelemetry;
}

/**
 * Group commit for a database with one writer connection (SQLite). Writes that are waiting together run
 * one after another in ONE transaction, each inside its own SAVEPOINT, and the transaction commits once:
 * one durable flush (fsync) for the whole group instead of one per write. Each write's promise settles
 * only after that COMMIT, so an acknowledged write is as durable as before. A write whose work throws is
 * rolled back to its savepoint and rejected at once; the others are unaffected. If BEGIN or COMMIT fails,
 * every write of the group is rejected with that error and nothing of it is written.
 *
 * Writes are gathered for one turn of the event loop (setImmediate, from node:timers so that a test's
 * fake timers cannot stall the store), so a single client sees the same
 * latency as without grouping; concurrent clients share flushes.
 */
export class CommitGroup<S> {
  private readonly options: CommitGroupOptions<S>;
  private queue: PendingWrite<S>[] = [];
  private drained: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(options: CommitGroupOptions<S>) {
    this.options = options;
  }

  /** Runs `work` in the next group transaction; resolves with its result after the group's COMMIT. */
  submit<T>(work: (session: S) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject, queuedAt: performance.now() });
      if (!this.scheduled) {
        this.scheduled = true;
        this.drained = new Promise((done) => nextTurn(() => void this.drain().finally(done)));
      }
    });
  }

  /** Resolves once every write submitted so far has settled (before closing the connection). */
  idle(): Promise<void> {
    return this.drained;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, maxGroupSize);
      // A settled promise ignores a later reject, so this only reaches writes the failure left waiting.
      await this.options.writer
        .connection()
        .execute((db) => this.runGroup(db, group))
        .catch((error: unknown) => group.forEach((write) => write.reject(error)));
    }
    this.scheduled = false;
  }

  private async runGroup(db: Kysely<Database>, group: readonly PendingWrite<S>[]): Promise<void> {
    try {
      await sql.raw(this.options.begin).execute(db);
    } catch (error) {
      for (const write of group) write.reject(error);
      return;
    }
    const telemetry = this.options.telemetry?.active ? this.options.telemetry : undefined;
    if (telemetry) {
      const begun = performance.now();
      for (const write of group) telemetry.writeQueued((begun - write.queuedAt) / 1000);
    }
    const done: { write: PendingWrite<S>; value: unknown }[] = [];
    const session = this.options.session(db);
    for (const write of group) {
      await sql.raw("savepoint muster_write").execute(db);
      try {
        done.push({ write, value: await write.work(session) });
        await sql.raw("release muster_write").execute(db);
      } catch (error) {
        if (!(await this.undo(db))) {
          // The database ended the transaction itself (disk full, I/O error): nothing of the group is kept.
          for (const earlier of done) earlier.write.reject(error);
          write.reject(error);
          for (const later of group.slice(group.indexOf(write) + 1)) later.reject(error);
          return;
        }
        write.reject(error);
      }
    }
    const committing = performance.now();
    try {
      await sql.raw("commit").execute(db);
      // A group whose every write was rolled back commits nothing: no flush to report.
      if (done.length > 0) telemetry?.groupCommitted(done.length, (performance.now() - committing) / 1000);
    } catch (error) {
      await sql.raw("rollback").execute(db).catch(() => undefined);
      for (const { write } of done) write.reject(error);
      return;
    }
    for (const { write, value } of done) write.resolve(value);
  }

  /** Rolls the failed write back to its savepoint; false when the transaction is gone (the database rolled it back). */
  private async undo(db: Kysely<Database>): Promise<boolean> {
    try {
      await sql.raw("rollback to muster_write").execute(db);
      await sql.raw("release muster_write").execute(db);
      return true;
    } catch {
      await sql.raw("rollback").execute(db).catch(() => undefined);
      return false;
    }
  }
}
