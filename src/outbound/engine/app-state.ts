import type { JsonObject } from "../../scim/json.js";
import type { Counter } from "./object-sync.js";

/** Counts of object actions. */
export type Counts = Record<Counter, number>;

export const zeroCounts = (): Counts => ({ created: 0, updated: 0, adopted: 0, disabled: 0, deleted: 0, failed: 0, skipped: 0 });

/** The kinds of cycle: the first full pass, a periodic full pass that also reads members back, one object on demand. */
export type CycleKind = "initial" | "reconcile";

/** Where a full cycle is: its stage and the last id done, so a restarted node continues instead of starting over. */
export interface CycleProgress {
  readonly id: string;
  readonly kind: CycleKind;
  readonly startedAt: string;
  readonly stage: "users" | "groups" | "orphans" | "members" | "references";
  /** The last source id of the stage done. */
  readonly after?: string;
  readonly done: number;
  /** Users and Groups in the tenant when the cycle began (for the progress bar). */
  readonly total: number;
  readonly counts: Counts;
}

/** How the last full cycle ended. */
export interface CycleSummary {
  readonly id: string;
  readonly kind: CycleKind;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly outcome: "completed" | "quarantined" | "stopped";
  readonly counts: Counts;
}

/** Why an app stopped working on its own, and when it tries again. */
export interface Quarantine {
  readonly code: "auth" | "unreachable" | "settings" | "token" | "failures" | "tooManyDeletions";
  readonly reason: string;
  readonly fix: string;
  readonly since: string;
  readonly attempts: number;
  /** When the engine probes the target again; absent for reasons only an admin can lift (staged deletions). */
  readonly nextAttemptAt?: string;
}

/** The engine's state of one app (apps.state): everything it needs to continue after a restart, and the statistics. */
export interface AppState {
  /** Set once the initial cycle completed. */
  readonly initialDone: boolean;
  readonly cycle?: CycleProgress;
  readonly lastCycle?: CycleSummary;
  /** Object actions since the app was created (or restarted). */
  readonly totals: Counts;
  readonly quarantine?: Quarantine;
  /** The member changes per PATCH the target accepts, when it refused more. */
  readonly memberChangesPerPatch?: number;
  readonly lastReconcileAt?: string;
  /** When the last change from the feed was applied (for lag). */
  readonly lastChangeAt?: string;
  /** Hash of the settings the objects were last evaluated with: a different one starts a reconcile. */
  readonly settingsHash?: string;
  /** Until when an admin allowed deprovisions past the deletion guard (Allow on the staged actions). */
  readonly guardAllowedUntil?: string;
  /** Deprovisions of incremental changes in the current hour, for the deletion guard. */
  readonly deprovisionWindow?: { readonly since: string; readonly count: number };
}

/** The state as stored, with defaults for what is missing. */
export function readAppState(stored: JsonObject): AppState {
  const state = stored as Partial<AppState>;
  return { ...state, initialDone: state.initialDone === true, totals: { ...zeroCounts(), ...(state.totals ?? {}) } } as AppState;
}

/** Adds counts. */
export function addCounts(a: Counts, b: Partial<Counts>): Counts {
  const out = { ...a };
  for (const [key, value] of Object.entries(b) as [keyof Counts, number][]) out[key] += value;
  return out;
}
