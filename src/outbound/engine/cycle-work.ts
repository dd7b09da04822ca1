import type { Store } from "../../store/store.js";
import type { AppRuntime } from "./app-runtime.js";
import type { SourceReader } from "./source-reader.js";

/** What the work of one cycle of one app shares: the app as opened, Muster's store, the source tenant, the cycle's id and the clock. */
export interface CycleContext {
  readonly runtime: AppRuntime;
  readonly store: Store;
  readonly reader: SourceReader;
  /** The id written into the provisioning log entries of this cycle (or on-demand run). */
  readonly cycle: string;
  readonly now: () => Date;
}

/** The base of the engine's syncs (objects, memberships): one cycle's context, held. */
export abstract class CycleWork {
  protected readonly runtime: AppRuntime;
  protected readonly store: Store;
  protected readonly reader: SourceReader;
  protected readonly cycle: string;
  protected readonly now: () => Date;

  constructor(context: CycleContext) {
    this.runtime = context.runtime;
    this.store = context.store;
    this.reader = context.reader;
    this.cycle = context.cycle;
    this.now = context.now;
  }

  /** The context again, for work that starts another sync of the same cycle. */
  protected get context(): CycleContext {
    return { runtime: this.runtime, store: this.store, reader: this.reader, cycle: this.cycle, now: this.now };
  }

  protected get appId(): string {
    return this.runtime.app.id;
  }
}
