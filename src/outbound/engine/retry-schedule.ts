import type { TargetErrorKind } from "../client/target-error.js";

/** Waits before a parked object is tried again, by attempt: short for failures that may pass, longer for the target's refusals. */
const transientSteps = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];
const refusedSteps = [5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000, 24 * 3_600_000];

/**
 * When a parked object is tried again after its `attempts`-th failure: 1 min, 5 min, 30 min, 2 h, then
 * every 6 h for failures that may pass (timeouts, 5xx); 5 min, 30 min, 2 h, 6 h, then daily for the
 * target's refusals (400, 409, 422), which usually need a change of data or settings (a change of the
 * object in Muster tries it again at once). A tenth of random spread keeps retries of many objects apart.
 */
export function parkUntil(now: Date, attempts: number, kind: TargetErrorKind, random: () => number = Math.random): Date {
  const steps = kind === "transient" || kind === "throttled" || kind === "invalidResponse" ? transientSteps : refusedSteps;
  const base = steps[Math.min(Math.max(attempts, 1), steps.length) - 1]!;
  return new Date(now.getTime() + base + Math.floor(base * 0.1 * random()));
}

/** Waits between attempts of a quarantined app: 1 min, 5 min, 15 min, 1 h, then every 3 h until an attempt succeeds. */
const quarantineSteps = [60_000, 5 * 60_000, 15 * 60_000, 3_600_000, 3 * 3_600_000];

/** When a quarantined app is tried again after its `attempts`-th failed attempt. */
export function quarantineRetryAt(now: Date, attempts: number): Date {
  return new Date(now.getTime() + quarantineSteps[Math.min(Math.max(attempts, 1), quarantineSteps.length) - 1]!);
}
