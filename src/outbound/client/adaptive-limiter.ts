/** Settings of an AdaptiveLimiter. */
export interface AdaptiveLimiterOptions {
  /** The most requests in flight, and the limit it grows back to (default 4, 1..64). */
  readonly maxConcurrency?: number;
  /** Successes in a row after which the limit grows by one (default 20). */
  readonly growAfter?: number;
}

/** Counters for statistics. */
export interface LimiterStats {
  readonly limit: number;
  readonly maxConcurrency: number;
  readonly inFlight: number;
  readonly waiting: number;
}

/** The bounds of `maxConcurrency`. */
export const concurrencyBounds = { min: 1, max: 64, default: 4 } as const;

/**
 * Per-app concurrency that adapts to the target (AIMD): at most `limit` requests in flight; a throttled
 * answer halves the limit (not below 1), and each run of `growAfter` successes raises it by one, back up
 * to `maxConcurrency`. Waiters are served first come, first served.
 */
export class AdaptiveLimiter {
  readonly maxConcurrency: number;
  readonly growAfter: number;
  #limit: number;
  #inFlight = 0;
  #successes = 0;
  readonly #waiters: (() => void)[] = [];

  constructor(options: AdaptiveLimiterOptions = {}) {
    const max = options.maxConcurrency ?? concurrencyBounds.default;
    if (!Number.isInteger(max) || max < concurrencyBounds.min || max > concurrencyBounds.max) {
      throw new RangeError(`maxConcurrency must be an integer from ${concurrencyBounds.min} to ${concurrencyBounds.max}, not ${max}`);
    }
    const growAfter = options.growAfter ?? 20;
    if (!Number.isInteger(growAfter) || growAfter < 1) throw new RangeError(`growAfter must be a positive integer, not ${growAfter}`);
    this.maxConcurrency = max;
    this.growAfter = growAfter;
    this.#limit = max;
  }

  /** The current limit of requests in flight. */
  get limit(): number {
    return this.#limit;
  }

  /** Requests holding a slot now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** The limiter's counters, for statistics. */
  stats(): LimiterStats {
    return { limit: this.#limit, maxConcurrency: this.maxConcurrency, inFlight: this.#inFlight, waiting: this.#waiters.length };
  }

  /** Waits for a slot and returns its release function (call it exactly once; later calls do nothing). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.#inFlight < this.#limit && this.#waiters.length === 0) {
      this.#inFlight += 1;
      return this.#releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#waiters.indexOf(grant);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      this.#waiters.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    return this.#releaser();
  }

  /** Records a throttled answer: halves the limit and restarts the run of successes. */
  onThrottled(): void {
    this.#limit = Math.max(1, Math.floor(this.#limit / 2));
    this.#successes = 0;
  }

  /** Records a successful exchange; a full run of them raises the limit by one. */
  onSuccess(): void {
    if (this.#limit >= this.maxConcurrency) return;
    this.#successes += 1;
    if (this.#successes >= this.growAfter) {
      this.#successes = 0;
      this.#limit += 1;
      this.#dispatch();
    }
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      this.#dispatch();
    };
  }

  /** Hands free slots to waiters; the slot passes to the waiter before it runs, so no newcomer can take it. */
  #dispatch(): void {
    while (this.#inFlight < this.#limit && this.#waiters.length > 0) {
      this.#inFlight += 1;
      this.#waiters.shift()!();
    }
  }
}
