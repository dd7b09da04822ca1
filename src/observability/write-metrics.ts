import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { ActivityRecorderObserver } from "../admin/activity-recorder.js";
import type { LastUsedObserver } from "../provisioning/authenticator.js";

/** Background writes take a transaction each: from a millisecond to seconds when the database is busy. */
const flushBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The activity log's buffer and writes (admin/activity-recorder.ts): entries waiting, each write's
 * duration, entries written, failed writes and entries dropped because the buffer was full.
 */
export class ActivityMetrics implements ActivityRecorderObserver {
  private readonly durations: Histogram;
  private readonly written: Counter;
  private readonly failures: Counter;
  private readonly drops: Counter;
  private buffered: () => number = () => 0;

  constructor(registry: Registry) {
    const metrics = this;
    new Gauge({
      name: "muster_activity_buffered_entries",
      help: "Activity entries waiting in memory to be written (written about once a second; at most 10,000 are kept).",
      registers: [registry],
      collect() {
        this.set(metrics.buffered());
      },
    });
    this.durations = new Histogram({ name: "muster_activity_flush_duration_seconds", help: "Time each write of buffered activity entries took (one transaction).", buckets: flushBuckets, registers: [registry] });
    this.written = new Counter({ name: "muster_activity_entries_written_total", help: "Activity entries written to the database.", registers: [registry] });
    this.failures = new Counter({ name: "muster_activity_flush_failures_total", help: "Writes of activity entries that failed (the entries stay buffered for the next attempt).", registers: [registry] });
    this.drops = new Counter({ name: "muster_activity_entries_dropped_total", help: "Activity entries dropped because the buffer was full (the database did not take writes for a long time).", registers: [registry] });
  }

  /** Where the buffered-entries gauge reads its value (the recorder's `pending`). */
  watchBuffer(pending: () => number): void {
    this.buffered = pending;
  }

  flushed(entries: number, seconds: number): void {
    this.durations.observe(seconds);
    this.written.inc(entries);
  }

  flushFailed(): void {
    this.failures.inc();
  }

  dropped(): void {
    this.drops.inc();
  }
}

/** The authenticator's writes of tokens' last-used times (provisioning/authenticator.ts). */
export class LastUsedMetrics implements LastUsedObserver {
  private readonly durations: Histogram;
  private readonly tokens: Counter;
  private readonly failures: Counter;

  constructor(registry: Registry) {
    this.durations = new Histogram({ name: "muster_token_last_used_flush_duration_seconds", help: "Time each write of tokens' last-used times took (one transaction for all tokens used meanwhile).", buckets: flushBuckets, registers: [registry] });
    this.tokens = new Counter({ name: "muster_token_last_used_written_total", help: "Last-used times of tokens written to the database.", registers: [registry] });
    this.failures = new Counter({ name: "muster_token_last_used_flush_failures_total", help: "Writes of last-used times that failed (those times are lost; the next use records a newer one).", registers: [registry] });
  }

  written(tokens: number, seconds: number): void {
    this.durations.observe(seconds);
    this.tokens.inc(tokens);
  }

  failed(): void {
    this.failures.inc();
  }
}
