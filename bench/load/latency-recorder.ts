/** Latency percentiles in milliseconds (nearest-rank). */
export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/**
 * Records response times at full resolution (autocannon's own histogram keeps whole milliseconds,
 * too coarse for sub-millisecond lookups) and counts statuses and bytes.
 */
export class LatencyRecorder {
  private samples = new Float64Array(4096);
  private size = 0;
  private bytes = 0;
  readonly statuses = new Map<number, number>();

  record(status: number, ms: number, bytes = 0): void {
    if (this.size === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.size++] = ms;
    this.bytes += bytes;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  get count(): number {
    return this.size;
  }

  /** Responses whose status is not one of `expected`. */
  unexpected(expected: readonly number[]): number {
    let total = 0;
    for (const [status, count] of this.statuses) if (!expected.includes(status)) total += count;
    return total;
  }

  meanBytes(): number {
    return this.size === 0 ? 0 : this.bytes / this.size;
  }

  summary(): LatencySummary {
    const sorted = this.samples.slice(0, this.size).sort();
    const at = (percentile: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((percentile / 100) * sorted.length) - 1)]!);
    let sum = 0;
    for (const value of sorted) sum += value;
    return { count: sorted.length, p50Ms: at(50), p99Ms: at(99), maxMs: sorted.length === 0 ? 0 : sorted[sorted.length - 1]!, meanMs: sorted.length === 0 ? 0 : sum / sorted.length };
  }

  /** Statuses as a plain object (JSON). */
  statusCounts(): Record<string, number> {
    return Object.fromEntries([...this.statuses].map(([status, count]) => [String(status), count]));
  }
}
