import type { Store } from "../store/store.js";

/** What the admin account use cases run with: the store, a clock (injectable for tests) and the session policy. */
export interface AdminContext {
  readonly store: Store;
  readonly now: () => Date;
  /** Hours a session lasts without use (MUSTER_SESSION_IDLE_HOURS). */
  readonly sessionIdleHours: number;
}
