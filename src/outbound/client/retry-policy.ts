import type { TargetError } from "./target-error.js";

/** How one call retries throttled and transient failures. */
export interface RetryPolicy {
  /** Attempts per call, the first included (default 3). */
  readonly maxAttempts: number;
  /** The first backoff's ceiling; each later one doubles it (default 500 ms). */
  readonly baseDelayMs: number;
  /** The largest backoff ceiling (default 30 s). */
  readonly maxDelayMs: number;
  /** The longest Retry-After waited for inside a call; a longer one ends the call so the engine can schedule it (default 60 s). */
  readonly maxRetryAfterMs: number;
}

/** The defaults of RetryPolicy. */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };

/** What to do after a failed attempt. */
export type RetryDecision = { readonly retry: true; readonly waitMs: number } | { readonly retry: false };

/** What the decision depends on besides the error. */
export interface RetryContext {
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly policy: RetryPolicy;
  /**
   * Whether repeating the request is harmless even if the target processed it. True for GET, PUT,
   * DELETE and PATCH (SCIM's replace and member add/remove converge); a POST only when its caller says
   * so (the engine matches before it creates).
   */
  readonly repeatable: boolean;
  /** Uniform random number in [0, 1), for jitter. */
  readonly random?: () => number;
}

/**
 * Decides whether to retry after a failed attempt: only throttled and transient failures, only while
 * attempts remain, only when repeating is safe (or the request certainly was not processed: it never
 * left, or the target throttled it), never past a Retry-After longer than the policy's bound. Waits for
 * the target's Retry-After when given, otherwise an exponential backoff with full jitter.
 */
export function decideRetry(error: TargetError, context: RetryContext): RetryDecision {
  const { attempt, policy } = context;
  if (error.kind !== "throttled" && error.kind !== "transient") return { retry: false };
  if (attempt >= policy.maxAttempts) return { retry: false };
  // A throttled answer (429, 503 with Retry-After) says the target did not process the request.
  const unprocessed = !error.maybeSent || error.kind === "throttled";
  if (!context.repeatable && !unprocessed) return { retry: false };
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? { retry: true, waitMs: error.retryAfterMs } : { retry: false };
  }
  return { retry: true, waitMs: backoffDelay(attempt, policy, context.random) };
}

/** Full-jitter exponential backoff after attempt `attempt`: uniform in [0, min(maxDelay, base × 2^(attempt-1))). */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
