import type { RateLimitLease, RateLimitLeaseRequest } from "../http/rate-limit.js";

interface Window {
  readonly startedAt: number;
  readonly windowMillis: number;
  used: number;
}

/**
 * The primary's count of each token's SCIM requests in its current one-minute window, for all workers
 * together. Workers take the requests they may serve in leases (see LeasedRateLimitStore): a lease never
 * exceeds what is left of the limit, so the workers together never serve more than the limit. Leases
 * shrink as the budget runs out (at most half of the remainder split between the workers), so requests
 * leased to one worker but unused while another is refused stay few.
 */
export class RateLimitLedger {
  private readonly windows = new Map<string, Window>();
  private readonly workers: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(workers: number, now: () => number = Date.now) {
    this.workers = Math.max(1, workers);
    this.now = now;
    // Windows of tokens that stopped sending would otherwise stay forever.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** Grants up to `want` requests of the key's current window (0 when its limit is used up). */
  lease({ key, want, windowMillis, max }: RateLimitLeaseRequest): RateLimitLease {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.startedAt + window.windowMillis <= now) {
      window = { startedAt: now, windowMillis, used: 0 };
      this.windows.set(key, window);
    }
    const left = Math.max(0, max - window.used);
    const granted = left === 0 ? 0 : Math.max(1, Math.min(want, Math.floor(left / (2 * this.workers))));
    window.used += granted;
    return { granted, used: window.used, ttlMillis: window.startedAt + window.windowMillis - now };
  }

  /** Stops the sweeper. */
  close(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.startedAt + window.windowMillis <= now) this.windows.delete(key);
  }
}
