import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Store } from "../../store/store.js";
import type { SecretKeyring } from "../../secrets/secret-keyring.js";
import type { ClientSettings } from "./app-runtime.js";
import { AppRunner, type RunnerOptions } from "./app-runner.js";

/** How the engine of one node behaves. */
export interface OutboundEngineOptions {
  readonly clients: ClientSettings;
  /** How long a lease lasts without renewal: another node takes an app over this long after its node died. */
  readonly leaseMs?: number;
  /** How often the node looks for apps to work on and renews its leases. */
  readonly scanMs?: number;
  readonly runner?: Partial<RunnerOptions>;
  /** Days changes are kept in the feed (default 30); an app that was off longer evaluates everything again. */
  readonly changeRetentionDays?: number;
  /** Days provisioning log entries are kept (default 30, as the activity log). */
  readonly logRetentionDays?: number;
  /** How often old changes and log entries are pruned (default hourly). */
  readonly pruneEveryMs?: number;
  readonly onError?: (error: unknown, appId?: string) => void;
}

const defaults = { leaseMs: 15_000, scanMs: 2_000, pollMs: 250, pageSize: 200, feedBatch: 500 };

/**
 * The outbound engine of one node (process): every few seconds it lists the apps whose provisioning is
 * on, takes the lease of those nobody holds (or whose holder stopped renewing), runs an AppRunner for
 * each app it holds, renews their leases, and stops a runner whose lease it lost or whose app was
 * switched off or deleted. On SQLite with several workers and on PostgreSQL with several nodes alike,
 * exactly one process works on an app at a time.
 */
export class OutboundEngine {
  readonly nodeId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly store: Store;
  private readonly keyring: SecretKeyring;
  private readonly options: OutboundEngineOptions;
  private readonly runners = new Map<string, AppRunner>();
  private timer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning: Promise<void> | undefined;
  private scanning: Promise<void> | undefined;
  private stopped = false;

  constructor(store: Store, keyring: SecretKeyring, options: OutboundEngineOptions) {
    this.store = store;
    this.keyring = keyring;
    this.options = options;
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? defaults.leaseMs;
  }

  start(): void {
    if (this.timer || this.stopped) return;
    const tick = () => {
      this.scanning = this.scan()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.scanMs ?? defaults.scanMs);
        });
    };
    tick();
    const prune = () => {
      this.pruning = this.prune()
        .then(() => undefined)
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          if (!this.stopped) this.pruneTimer = setTimeout(prune, this.options.pruneEveryMs ?? 3_600_000);
        });
    };
    this.pruneTimer = setTimeout(prune, Math.min(this.options.pruneEveryMs ?? 3_600_000, 60_000));
  }

  /** Deletes changes and provisioning log entries past their retention, in bounded batches (every node may run it: it is idempotent). */
  async prune(now = new Date()): Promise<{ changes: number; log: number }> {
    const day = 86_400_000;
    const changesBefore = new Date(now.getTime() - (this.options.changeRetentionDays ?? 30) * day).toISOString();
    const logBefore = new Date(now.getTime() - (this.options.logRetentionDays ?? 30) * day).toISOString();
    const batch = 5_000;
    let changes = 0;
    let log = 0;
    for (const tenant of await this.store.read((s) => s.tenants.list())) {
      for (let deleted = batch; deleted === batch && !this.stopped; ) {
        deleted = await this.store.write((s) => s.changes.prune(tenant.id, changesBefore, batch));
        changes += deleted;
      }
      for (const app of await this.store.read((s) => s.outbound.listApps(tenant.id))) {
        for (let deleted = batch; deleted === batch && !this.stopped; ) {
          deleted = await this.store.write((s) => s.outbound.pruneLog(app.id, logBefore, batch));
          log += deleted;
        }
      }
    }
    return { changes, log };
  }

  /** Wakes the runners of a tenant's apps (after a write, so a change goes out without waiting for the poll). */
  wake(tenantId?: string): void {
    for (const runner of this.runners.values()) if (tenantId === undefined || runner.tenantId === tenantId) runner.wake();
  }

  /** The apps this node works on now. */
  heldApps(): string[] {
    return [...this.runners.keys()];
  }

  /** Stops every runner and gives their leases up, so another node can take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.pruneTimer);
    await this.scanning;
    await this.pruning;
    await Promise.all([...this.runners.values()].map((runner) => this.release(runner)));
  }

  private async release(runner: AppRunner): Promise<void> {
    this.runners.delete(runner.appId);
    await runner.stop();
    await this.store.write((s) => s.outbound.releaseLease(runner.tenantId, runner.appId, this.nodeId)).catch((error: unknown) => this.options.onError?.(error, runner.appId));
  }

  private async scan(): Promise<void> {
    const apps = await this.store.read((s) => s.outbound.listActiveApps());
    const active = new Set(apps.map((app) => app.id));
    for (const runner of [...this.runners.values()]) if (!active.has(runner.appId)) await this.release(runner);
    const now = new Date();
    const until = new Date(now.getTime() + this.leaseMs).toISOString();
    for (const app of apps) {
      if (this.stopped) return;
      const held = await this.store.write((s) => s.outbound.acquireLease(app.tenantId, app.id, this.nodeId, now.toISOString(), until));
      const runner = this.runners.get(app.id);
      if (!held) {
        if (runner) await this.release(runner);
        continue;
      }
      if (!runner) {
        const started = new AppRunner(this.store, this.keyring, this.options.clients, app, {
          pollMs: this.options.runner?.pollMs ?? defaults.pollMs,
          pageSize: this.options.runner?.pageSize ?? defaults.pageSize,
          feedBatch: this.options.runner?.feedBatch ?? defaults.feedBatch,
          now: this.options.runner?.now ?? (() => new Date()),
          onError: (error, appId) => this.options.onError?.(error, appId),
        });
        this.runners.set(app.id, started);
        started.start();
      }
    }
  }
}
