import { performance } from "node:perf_hooks";
import { newId } from "../store/ids.js";
import type { ActivityRecord, Store } from "../store/store.js";

/** An activity entry as a request produces it; the recorder gives it its id and time. */
export type ActivityEvent = Omit<ActivityRecord, "id" | "at">;

/** What an ActivityRecorder reports about its buffer and writes (the server's metrics implement it). */
export interface ActivityRecorderObserver {
  /** `entries` were written in one transaction that took `seconds`. */
  flushed(entries: number, seconds: number): void;
  /** Writing `entries` failed; they stay buffered for the next attempt. */
  flushFailed(entries: number): void;
  /** An entry was dropped because the buffer held `maxBuffered` entries already. */
  dropped(): void;
}

/** Timing and bounds of an ActivityRecorder. */
export interface ActivityRecorderOptions {
  /** Days entries are kept (MUSTER_ACTIVITY_RETENTION_DAYS). */
  readonly retentionDays: number;
  /** Longest time an entry waits in memory before it is written (default 1 s). */
  readonly flushMillis?: number;
  /** How often old entries are pruned (default hourly). */
  readonly pruneMillis?: number;
  /** Entries kept in memory while the database cannot take them; newer ones are dropped beyond it (default 10,000). */
  readonly maxBuffered?: number;
  /** Most entries one prune transaction deletes (default 5,000). */
  readonly pruneBatch?: number;
  /** Most entries one write transaction inserts (default 200). */
  readonly writeBatch?: number;
  readonly now?: () => Date;
  /** Told about failed writes and prunes (the server logs them); recording never throws into a request. */
  readonly onError?: (error: unknown, action: "flush" | "prune") => void;
  readonly observer?: ActivityRecorderObserver;
}

/**
 * Records SCIM requests for the Activity page without slowing them down: `record` only appends to an
 * in-memory buffer, which is written at most once per `flushMillis` and on `stop()`, in transactions of
 * at most `writeBatch` entries.
 * A crash loses at most the last `flushMillis` of entries; that is the price of never adding a write
 * (and an fsync) to each SCIM request. Entries older than the retention are pruned periodically in
 * bounded transactions, so a prune never holds the write lock for long.
 */
export class ActivityRecorder {
  private readonly store: Store;
  private readonly retentionDays: number;
  private readonly flushMillis: number;
  private readonly pruneMillis: number;
  private readonly maxBuffered: number;
  private readonly pruneBatch: number;
  private readonly writeBatch: number;
  private readonly now: () => Date;
  private readonly onError: (error: unknown, action: "flush" | "prune") => void;
  private readonly observer: ActivityRecorderObserver | undefined;
  private buffer: ActivityRecord[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private pruning: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(store: Store, options: ActivityRecorderOptions) {
    this.store = store;
    this.retentionDays = options.retentionDays;
    this.flushMillis = options.flushMillis ?? 1_000;
    this.pruneMillis = options.pruneMillis ?? 3_600_000;
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.pruneBatch = options.pruneBatch ?? 5_000;
    this.writeBatch = Math.max(1, options.writeBatch ?? 200);
    this.now = options.now ?? (() => new Date());
    this.onError = options.onError ?? (() => undefined);
    this.observer = options.observer;
  }

  /** Buffers one request's entry, stamped with the current time and a time-ordered id. */
  record(event: ActivityEvent): void {
    if (this.buffer.length >= this.maxBuffered) {
      this.observer?.dropped();
      return;
    }
    const now = this.now();
    this.buffer.push({ ...event, id: newId(now.getTime()), at: now.toISOString() });
    this.scheduleFlush();
  }

  /** How many entries wait to be written. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Writes the buffered entries now (writeBuffered); concurrent calls write one after the other. */
  flush(): Promise<void> {
    const run = this.writing.then(() => this.writeBuffered());
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** Deletes entries older than the retention, a bounded batch per transaction; returns how many. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - this.retentionDays * 86_400_000).toISOString();
    const tenants = await this.store.read((session) => session.tenants.list());
    let deleted = 0;
    for (const tenant of tenants) {
      if (this.stopped) break;
      for (;;) {
        const count = await this.store.write((session) => session.activity.prune(tenant.id, cutoff, this.pruneBatch));
        deleted += count;
        if (count < this.pruneBatch || this.stopped) break;
      }
    }
    return deleted;
  }

  /** Starts pruning: once now, then every `pruneMillis`. Timers never keep the process alive. */
  start(): void {
    if (this.pruneTimer || this.stopped) return;
    const prune = () => {
      this.pruning = this.prune().then(
        () => undefined,
        (error: unknown) => this.onError(error, "prune"),
      );
    };
    this.pruneTimer = setInterval(prune, this.pruneMillis);
    this.pruneTimer.unref();
    prune();
  }

  /** Stops the timers and writes what is buffered (MusterServer.close() calls it after the last request). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.pruneTimer = undefined;
    this.flushTimer = undefined;
    await this.pruning;
    await this.flush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.stopped) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush().catch((error: unknown) => this.onError(error, "flush"));
    }, this.flushMillis);
    this.flushTimer.unref();
  }

  /**
   * Writes the buffer in transactions of at most `writeBatch` entries with a turn of the event loop
   * between them: under load a second holds thousands of entries, and one transaction for all of them
   * (on SQLite, run on the event loop) stalled every request for 34–65 ms and held the write lock that
   * long; a batch costs a few milliseconds and SCIM writes take turns with it.
   */
  private async writeBuffered(): Promise<void> {
    if (this.buffer.length === 0) return;
    const entries = this.buffer;
    this.buffer = [];
    for (let start = 0; start < entries.length; start += this.writeBatch) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const batch = entries.slice(start, start + this.writeBatch);
      const began = performance.now();
      try {
        await this.store.write((session) => session.activity.append(batch));
        this.observer?.flushed(batch.length, (performance.now() - began) / 1000);
      } catch (error) {
        const unwritten = entries.slice(start);
        this.observer?.flushFailed(unwritten.length);
        // Keep the entries for the next attempt (a busy database is usually free again in a moment).
        this.buffer = [...unwritten, ...this.buffer].slice(0, this.maxBuffered);
        this.scheduleFlush();
        throw error;
      }
    }
  }
}
