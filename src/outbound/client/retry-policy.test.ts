import { describe, expect, it } from "vitest";
import { backoffDelay, decideRetry, defaultRetryPolicy } from "./retry-policy.js";
import { TargetError, type TargetErrorKind } from "./target-error.js";

function error(kind: TargetErrorKind, extra: { retryAfterMs?: number; maybeSent?: boolean } = {}): TargetError {
  return new TargetError({ kind, method: "GET", path: "/Users", summary: "test", fix: "test", maybeSent: extra.maybeSent ?? true, retryAfterMs: extra.retryAfterMs });
}
const policy = defaultRetryPolicy;

describe("decideRetry", () => {
  it("retries throttled and transient failures only", () => {
    for (const kind of ["throttled", "transient"] as const) expect(decideRetry(error(kind), { attempt: 1, policy, repeatable: true }).retry).toBe(true);
    for (const kind of ["auth", "notFound", "conflict", "rejected", "invalidResponse", "refused"] as const) {
      expect(decideRetry(error(kind), { attempt: 1, policy, repeatable: true }).retry).toBe(false);
    }
  });

  it("stops after the last attempt", () => {
    expect(decideRetry(error("transient"), { attempt: 2, policy, repeatable: true }).retry).toBe(true);
    expect(decideRetry(error("transient"), { attempt: 3, policy, repeatable: true }).retry).toBe(false);
  });

  it("waits exactly the Retry-After up to the bound and gives up beyond it", () => {
    expect(decideRetry(error("throttled", { retryAfterMs: 60_000 }), { attempt: 1, policy, repeatable: true })).toEqual({ retry: true, waitMs: 60_000 });
    expect(decideRetry(error("throttled", { retryAfterMs: 60_001 }), { attempt: 1, policy, repeatable: true })).toEqual({ retry: false });
  });

  it("repeats a non-repeatable request only when it certainly was not processed", () => {
    expect(decideRetry(error("transient"), { attempt: 1, policy, repeatable: false }).retry).toBe(false);
    expect(decideRetry(error("transient", { maybeSent: false }), { attempt: 1, policy, repeatable: false }).retry).toBe(true);
    expect(decideRetry(error("throttled"), { attempt: 1, policy, repeatable: false }).retry).toBe(true);
  });
});

describe("backoffDelay", () => {
  it("draws from [0, base × 2^(attempt-1)) capped at the maximum", () => {
    const top = () => 0.999999;
    expect(backoffDelay(1, policy, top)).toBe(499);
    expect(backoffDelay(2, policy, top)).toBe(999);
    expect(backoffDelay(3, policy, top)).toBe(1999);
    expect(backoffDelay(20, policy, top)).toBe(29_999);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});
