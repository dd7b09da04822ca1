import type { Store } from "../store/store.js";
import { recordSuccess, systemActor } from "./audit-trail.js";

/** Timing and bounds of AuditRetention. */
export interface AuditRetentionOptions {
  /** Days events are kept (MUSTER_AUDIT_RETENTION_DAYS). */
  readonly retentionDays: number;
  /** How often expired events are deleted (default hourly). */
  readonly pruneMillis?: number;
  /** Most events one prune transaction deletes (default 5,000). */
  readonly pruneBatch?: number;
  readonly now?: () => Date;
  /** Told about failed prunes (the server logs them). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Deletes audit events older than the retention, on a schedule, a bounded batch per transaction so a
 * prune never holds the write lock for long. Each batch that deletes anything records, in the same
 * transaction, an `audit.pruned` event by the system saying how many events it deleted and up to when:
 * a gap in the log is always explained by an event. Every node of a cluster prunes; batches that find
 * nothing left to delete record nothing.
 */
export class AuditRetention {
  private readonly store: Store;
  private readonly retentionDays: number;
  private readonly pruneMillis: number;
  private readonly pruneBatch: number;
  private readonly now: () => Date;
  private readonly onError: (error: unknown) => void;
  private timer: NodeJS.Timeout | undefined;
  private pruning: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(store: Store, options: AuditRetentionOptions) {
    this.store = store;
    this.retentionDays = options.retentionDays;
    this.pruneMillis = options.pruneMillis ?? 3_600_000;
    this.pruneBatch = options.pruneBatch ?? 5_000;
    this.now = options.now ?? (() => new Date());
    this.onError = options.onError ?? (() => undefined);
  }

  /** Deletes the events that occurred more than the retention ago, a batch per transaction; returns how many. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - this.retentionDays * 86_400_000).toISOString();
    let deleted = 0;
    for (;;) {
      const count = await this.store.write(async (session) => {
        const removed = await session.audit.prune(cutoff, this.pruneBatch);
        if (removed > 0) {
          const details = { deleted: removed, before: cutoff, retentionDays: this.retentionDays };
          await recordSuccess(session, { actor: systemActor("audit retention"), action: "audit.pruned", details }, this.now());
        }
        return removed;
      });
      deleted += count;
      if (count < this.pruneBatch || this.stopped) return deleted;
    }
  }

  /** Starts pruning: once now, then every `pruneMillis`. The timer never keeps the process alive. */
  start(): void {
    if (this.timer || this.stopped) return;
    const prune = () => {
      this.pruning = this.prune().then(
        () => undefined,
        (error: unknown) => this.onError(error),
      );
    };
    this.timer = setInterval(prune, this.pruneMillis);
    this.timer.unref();
    prune();
  }

  /** Stops the timer and waits for a prune under way (MusterServer.close() calls it). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.pruning;
  }
}
