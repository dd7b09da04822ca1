import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { Store } from "../store/store.js";
import { statementKinds, type StatementKind, type StoreObserver } from "../store/store-observer.js";
import { BoundHistogram, type HistogramSeries } from "./bound-series.js";

/** Statement durations: a primary-key lookup on SQLite takes tens of microseconds, a slow scan seconds. */
const statementBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];
/** Waits and COMMITs (an fsync takes from a fraction of a millisecond on NVMe to tens on network disks). */
const commitBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Writes per group commit: at most 64 (store/sql/commit-group.ts). */
const groupSizeBuckets = [1, 2, 4, 8, 16, 32, 64];

/**
 * The metrics of the server's store, as its StoreObserver: statements by kind (duration histogram and
 * refusals), on SQLite the group commit (each write's wait for its group, writes per COMMIT, COMMIT
 * time), and on PostgreSQL the pool's connections, read when scraped. Families that do not apply to
 * the store's database are not registered at all.
 */
export class StoreMetrics implements StoreObserver {
  private readonly durations: Readonly<Record<StatementKind, HistogramSeries>>;
  private readonly failures: Counter<"database" | "statement">;
  private readonly database: string;
  private readonly queueWaits: Histogram | undefined;
  private readonly groupSizes: Histogram | undefined;
  private readonly commits: Histogram | undefined;

  constructor(registry: Registry, store: Store) {
    this.database = store.dialect;
    const durations = new BoundHistogram(registry, {
      name: "muster_db_statement_duration_seconds",
      help: "Time SQL statements took, by database (sqlite, postgres) and statement (select, insert, update, delete, transaction, other).",
      labelNames: ["database", "statement"],
      buckets: statementBuckets,
    });
    this.durations = Object.fromEntries(statementKinds.map((kind) => [kind, durations.bind({ database: this.database, statement: kind })])) as Record<StatementKind, HistogramSeries>;
    this.failures = new Counter({
      name: "muster_db_statement_errors_total",
      help: "SQL statements the database refused (unique violations, busy locks, lost connections…), by database and statement.",
      labelNames: ["database", "statement"],
      registers: [registry],
    });
    if (store.dialect === "sqlite") {
      this.queueWaits = new Histogram({
        name: "muster_db_commit_group_wait_seconds",
        help: "SQLite group commit: time a write waited from being submitted until its group's transaction began (the previous group's work and COMMIT).",
        buckets: commitBuckets,
        registers: [registry],
      });
      this.groupSizes = new Histogram({
        name: "muster_db_commit_group_size",
        help: "SQLite group commit: writes committed by one COMMIT (one fsync).",
        buckets: groupSizeBuckets,
        registers: [registry],
      });
      this.commits = new Histogram({
        name: "muster_db_commit_duration_seconds",
        help: "SQLite group commit: time the COMMIT took, which is mostly the fsync of the write-ahead log.",
        buckets: commitBuckets,
        registers: [registry],
      });
    }
    if (store.poolUsage()) registerPoolGauges(registry, store);
  }

  statement(kind: StatementKind, seconds: number, failed: boolean): void {
    this.durations[kind].observe(seconds);
    if (failed) this.failures.inc({ database: this.database, statement: kind });
  }

  writeQueued(seconds: number): void {
    this.queueWaits?.observe(seconds);
  }

  groupCommitted(size: number, commitSeconds: number): void {
    this.groupSizes?.observe(size);
    this.commits?.observe(commitSeconds);
  }
}

/** The PostgreSQL pool's gauges, each read from the pool when scraped. */
function registerPoolGauges(registry: Registry, store: Store): void {
  const gauge = (name: string, help: string, read: (usage: NonNullable<ReturnType<Store["poolUsage"]>>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const usage = store.poolUsage();
        if (usage) this.set(read(usage));
      },
    });
  gauge("muster_db_pool_connections", "PostgreSQL pool: connections open, idle or in use.", (usage) => usage.total);
  gauge("muster_db_pool_idle_connections", "PostgreSQL pool: open connections that are idle.", (usage) => usage.idle);
  gauge("muster_db_pool_waiting_requests", "PostgreSQL pool: requests waiting for a connection because all are in use.", (usage) => usage.waiting);
  gauge("muster_db_pool_max_connections", "PostgreSQL pool: the most connections it opens.", (usage) => usage.max);
}
