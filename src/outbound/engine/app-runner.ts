import { randomUUID } from "node:crypto";
import type { JsonObject } from "../../scim/json.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { newId } from "../../store/ids.js";
import type { AppRecord } from "../../store/outbound.js";
import { compareFeedPositions, type ChangeRecord, type Store } from "../../store/store.js";
import type { SecretKeyring } from "../../secrets/secret-keyring.js";
import { TargetError } from "../client/target-error.js";
import { hashProjection } from "../mapping/hash-projection.js";
import { openAppRuntime, type AppRuntime, type ClientSettings } from "./app-runtime.js";
import { addCounts, readAppState, zeroCounts, type AppState, type Counts, type CycleKind, type CycleProgress, type Quarantine } from "./app-state.js";
import { deletionLimit } from "./deletion-guard.js";
import { MembershipSync, type MembershipResult } from "./membership-sync.js";
import type { CycleContext } from "./cycle-work.js";
import { ObjectSync, type ObjectPlan, type ObjectResult } from "./object-sync.js";
import { quarantineRetryAt } from "./retry-schedule.js";
import { SourceReader } from "./source-reader.js";

/** How an app runner paces itself. */
export interface RunnerOptions {
  /** Wait between looks at the change feed when there was nothing to do. */
  readonly pollMs: number;
  /** Source objects per page of a full cycle. */
  readonly pageSize: number;
  /** Changes read from the feed at a time. */
  readonly feedBatch: number;
  readonly now: () => Date;
  /** Reports failures of Muster itself (never a token). */
  readonly onError: (error: unknown, appId: string) => void;
}

/** The feed consumer name of an app (feed_checkpoints.consumer). */
export const appConsumer = (appId: string): string => `app:${appId}`;

/** The engine's work that stopped early: an app-level failure or throttling. */
type Interruption = { readonly appFailure: TargetError } | { readonly throttledMs: number };

function interruptionOf(result: ObjectResult | MembershipResult): Interruption | undefined {
  if (result.appFailure) return { appFailure: result.appFailure };
  if (result.throttledMs !== undefined) return { throttledMs: result.throttledMs };
  return undefined;
}

/**
 * Applies plans with up to `limit` at a time (the app's maxConcurrency; the client's limiter bounds the
 * requests in flight), in order of start; stops starting new ones after an interruption. Returns the
 * results of the plans that ran and the first interruption.
 */
async function applyConcurrently(objects: ObjectSync, plans: readonly ObjectPlan[], limit: number, logSkips: boolean): Promise<{ results: { plan: ObjectPlan; result: ObjectResult }[]; interruption?: Interruption }> {
  const results: { plan: ObjectPlan; result: ObjectResult }[] = [];
  let interruption: Interruption | undefined;
  let next = 0;
  const lane = async () => {
    while (interruption === undefined && next < plans.length) {
      const plan = plans[next++]!;
      const result = await objects.apply(plan, { logSkips });
      results.push({ plan, result });
      interruption ??= interruptionOf(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, plans.length)) }, lane));
  return interruption ? { results, interruption } : { results };
}

function withoutQuarantine(state: AppState): AppState {
  const { quarantine: _lifted, ...rest } = state;
  return rest;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Works on one app while this node holds its lease: the initial cycle (resumable, page by page), then
 * the change feed from the app's checkpoint, parked objects when their retry is due, and the periodic
 * reconcile; quarantine with a widening retry when the target refuses the app as a whole, and the
 * deletion guard. Every step reads the app again, so switching provisioning off or changing settings
 * takes effect at the next page or batch.
 */
export class AppRunner {
  readonly tenantId: string;
  readonly appId: string;
  private readonly store: Store;
  private readonly keyring: SecretKeyring;
  private readonly clients: ClientSettings;
  private readonly options: RunnerOptions;
  private readonly abort = new AbortController();
  private readonly reader: SourceReader;
  private runtime: AppRuntime | undefined;
  private runtimeVersion = -1;
  private running: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(store: Store, keyring: SecretKeyring, clients: ClientSettings, app: AppRecord, options: RunnerOptions) {
    this.store = store;
    this.keyring = keyring;
    this.clients = clients;
    this.options = options;
    this.tenantId = app.tenantId;
    this.appId = app.id;
    this.reader = new SourceReader(store, app.tenantId);
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops after the current request; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeUp?.();
    await this.running;
    await this.runtime?.client.close();
  }

  /** Looks at the feed now instead of at the end of the current wait. */
  wake(): void {
    this.wakeUp?.();
  }

  private get signal(): AbortSignal {
    return this.abort.signal;
  }

  private async pause(ms: number): Promise<void> {
    await Promise.race([sleep(ms, this.signal), new Promise<void>((resolve) => (this.wakeUp = resolve))]);
    this.wakeUp = undefined;
  }

  private async loop(): Promise<void> {
    while (!this.signal.aborted) {
      try {
        const wait = await this.step();
        if (wait > 0) await this.pause(wait);
      } catch (error) {
        this.options.onError(error, this.appId);
        await this.pause(5_000);
      }
    }
  }

  /** One unit of work; returns how long to wait before the next (0: go on at once). Ends the loop when the app is gone or off. */
  private async step(): Promise<number> {
    const app = await this.store.read((s) => s.outbound.getApp(this.tenantId, this.appId));
    if (!app || app.provisioning !== "on") {
      this.abort.abort();
      return 0;
    }
    let state = readAppState(app.state);
    if (app.version !== this.runtimeVersion) {
      await this.runtime?.client.close();
      this.runtime = undefined;
      const opened = openAppRuntime(app, this.keyring, this.clients);
      this.runtimeVersion = app.version;
      if (!opened.ok) {
        await this.save(app, { ...state, quarantine: this.quarantine(state, opened.error.code, opened.error.reason, opened.error.code === "token" ? "Enter the Secret Token again." : "Correct the app's settings.", false) });
        return 5_000;
      }
      const settingsHash = hashProjection(app.settings);
      const settingsChanged = state.settingsHash !== undefined && state.settingsHash !== settingsHash;
      this.runtime = opened.value;
      if (state.settingsHash !== settingsHash) state = { ...state, settingsHash };
      // New settings or a new token may have fixed what quarantined the app: try at once.
      if (state.quarantine && state.quarantine.code !== "tooManyDeletions") state = { ...state, quarantine: { ...state.quarantine, nextAttemptAt: this.now().toISOString() } };
      // Scope, mappings or matching changed: every object is evaluated again (unchanged ones cost no request).
      if (settingsChanged && state.initialDone && !state.cycle) {
        await this.save(app, { ...state, cycle: this.newCycle("reconcile", 0) });
        return 0;
      }
      // A cycle in progress judged the objects it has passed by the old settings: it starts over (same id and
      // counts; the objects passed already cost no request unless the new settings change what they need).
      if (settingsChanged && state.cycle) {
        const { after: _after, ...cycle } = state.cycle;
        await this.save(app, { ...state, cycle: { ...cycle, stage: "users", done: 0 } });
        return 0;
      }
    }
    const runtime = this.runtime;
    if (!runtime) return 5_000;
    if (state.quarantine) {
      const waited = await this.quarantined(app, runtime, state);
      if (waited !== undefined) return waited;
      state = withoutQuarantine(state);
    }
    if (!state.initialDone || state.cycle) return this.cyclePage(app, runtime, state);
    const changes = await this.pumpFeed(app, runtime, state);
    if (changes.interrupted) return changes.wait;
    const retried = await this.retryDue(app, runtime, changes.state);
    if (retried.interrupted) return retried.wait;
    const interval = runtime.settings.reconcileIntervalMinutes * 60_000;
    const last = retried.state.lastReconcileAt ? Date.parse(retried.state.lastReconcileAt) : 0;
    if (this.now().getTime() - last >= interval) {
      await this.save(app, { ...retried.state, cycle: this.newCycle("reconcile", 0) });
      return 0;
    }
    return changes.count > 0 || retried.count > 0 ? 0 : this.options.pollMs;
  }

  private now(): Date {
    return this.options.now();
  }

  /** The context the syncs of one cycle share. */
  private contextOf(runtime: AppRuntime, cycle: string): CycleContext {
    return { runtime, store: this.store, reader: this.reader, cycle, now: () => this.now() };
  }

  /** Writes the state unless an admin changed the app meanwhile (then the next step reads it again). */
  private async save(app: AppRecord, state: AppState): Promise<boolean> {
    return this.store.write((s) => s.outbound.saveAppState(this.tenantId, this.appId, state as unknown as JsonObject, app.version));
  }

  private quarantine(state: AppState, code: Quarantine["code"], reason: string, fix: string, retry: boolean): Quarantine {
    const now = this.now();
    const attempts = (state.quarantine?.code === code ? state.quarantine.attempts : 0) + 1;
    return {
      code,
      reason,
      fix,
      since: state.quarantine?.code === code ? state.quarantine.since : now.toISOString(),
      attempts,
      ...(retry ? { nextAttemptAt: quarantineRetryAt(now, attempts).toISOString() } : {}),
    };
  }

  private quarantineFor(state: AppState, failure: TargetError): Quarantine {
    const code = failure.kind === "auth" ? "auth" : "unreachable";
    return this.quarantine(state, code, failure.message, failure.fix, true);
  }

  /** While quarantined: waits, or probes the target when the retry is due. Undefined when the quarantine is lifted. */
  private async quarantined(app: AppRecord, runtime: AppRuntime, state: AppState): Promise<number | undefined> {
    const quarantine = state.quarantine!;
    if (quarantine.code === "tooManyDeletions") {
      const staged = await this.store.read((s) => s.outbound.countStaged(this.appId));
      if (staged > 0) return 2_000;
      // Decided. Allowed: everything is evaluated again, and the deprovisions now pass the guard (a cycle
      // that was stopped redoes its page). Rejected: the staged objects' links are gone, so nothing is sent.
      const allowed = state.guardAllowedUntil !== undefined && Date.parse(state.guardAllowedUntil) > this.now().getTime();
      const next = withoutQuarantine(state);
      await this.save(app, allowed && next.initialDone && !next.cycle ? { ...next, cycle: this.newCycle("reconcile", 0) } : next);
      return 0;
    }
    if (quarantine.code === "settings" || quarantine.code === "token") return 5_000;
    const due = quarantine.nextAttemptAt ? Date.parse(quarantine.nextAttemptAt) : 0;
    const wait = due - this.now().getTime();
    if (wait > 0) return Math.min(wait, 5_000);
    try {
      await runtime.client.findResources("Users", "userName", `muster-probe-${randomUUID()}`, { signal: this.signal });
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      if (error.kind === "auth" || error.kind === "refused" || error.kind === "transient" || error.kind === "throttled") {
        await this.save(app, { ...state, quarantine: this.quarantineFor(state, error) });
        return 1_000;
      }
    }
    await this.save(app, withoutQuarantine(state));
    return undefined;
  }

  private newCycle(kind: CycleKind, total: number): CycleProgress {
    return { id: `${kind}-${newId()}`, kind, startedAt: this.now().toISOString(), stage: "users", done: 0, total, counts: zeroCounts() };
  }

  /** One page of the initial cycle or of a reconcile. */
  private async cyclePage(app: AppRecord, runtime: AppRuntime, state: AppState): Promise<number> {
    let cycle = state.cycle;
    if (!cycle) {
      const total = await this.store.read(async (s) => {
        const users = await s.resources.list("User", this.tenantId, { page: { kind: "index", startIndex: 1, count: 0 } });
        const groups = await s.resources.list("Group", this.tenantId, { page: { kind: "index", startIndex: 1, count: 0 } });
        return users.totalResults + groups.totalResults;
      });
      cycle = this.newCycle(state.initialDone ? "reconcile" : "initial", total);
      // Changes made from now on are read from the feed after the cycle; what the cycle sees is current anyway.
      const head = await this.store.read((s) => s.changes.head(this.tenantId));
      const checkpoint = await this.store.read((s) => s.changes.checkpoint(this.tenantId, appConsumer(this.appId)));
      if (head && !checkpoint) await this.store.write((s) => s.changes.saveCheckpoint(this.tenantId, appConsumer(this.appId), head, this.now().toISOString()));
      await this.save(app, { ...state, cycle });
      return 0;
    }
    const objects = new ObjectSync(this.contextOf(runtime, cycle.id));
    const members = new MembershipSync(this.contextOf(runtime, cycle.id));
    const size = this.options.pageSize;
    let interruption: Interruption | undefined;
    let next: CycleProgress = cycle;
    let counts: Partial<Counts> = {};
    const tally = (result: ObjectResult) => {
      counts = addCounts({ ...zeroCounts(), ...counts } as Counts, { [result.counter]: 1 });
    };
    // A page of plans through the deletion guard: applied (the first interruption returned), or, when the
    // guard staged deprovisions, the rest applied and the app quarantined with the page to be done again.
    const guardedPage = async (plans: readonly ObjectPlan[]): Promise<Interruption | undefined | "quarantined"> => {
      const guarded = await this.guard(app, runtime, state, plans, cycle);
      const applied = await applyConcurrently(objects, guarded.run, runtime.settings.maxConcurrency, false);
      for (const { result } of applied.results) tally(result);
      if (applied.interruption) return applied.interruption;
      if (!guarded.quarantine) return undefined;
      await this.save(app, { ...state, cycle: { ...cycle, counts: addCounts(cycle.counts, counts) }, quarantine: guarded.quarantine });
      return "quarantined";
    };
    switch (cycle.stage) {
      case "users":
      case "groups": {
        const type: ResourceTypeName = cycle.stage === "users" ? "User" : "Group";
        const ids = await this.reader.pageIds(type, cycle.after, size);
        if (ids.length === 0) {
          next = { ...cycle, stage: cycle.stage === "users" ? "groups" : "orphans", after: undefined } as CycleProgress;
          break;
        }
        const page = await guardedPage(await Promise.all(ids.map((id) => objects.plan(type, id))));
        if (page === "quarantined") return 0;
        interruption = page;
        if (interruption) break;
        next = { ...cycle, after: ids.at(-1), done: cycle.done + ids.length };
        break;
      }
      case "orphans": {
        // Links whose source object is gone (deleted while no node was working on the app): deprovision them as deletions.
        const [typeText, afterId] = (cycle.after ?? "User:").split(/:(.*)/s) as [string, string];
        const type = typeText as ResourceTypeName;
        const links = await this.store.read((s) => s.outbound.pageLinks(this.appId, type, afterId === "" ? undefined : afterId, size));
        if (links.length === 0) {
          next = type === "User" ? { ...cycle, after: "Group:" } : { ...cycle, stage: "members", after: undefined };
          break;
        }
        const existing = await this.store.read((s) => s.resources.findMembers(this.tenantId, links.map((link) => link.sourceId)));
        const gone = links.filter((link) => existing.get(link.sourceId) !== type);
        const page = await guardedPage(await Promise.all(gone.map((link) => objects.plan(type, link.sourceId))));
        if (page === "quarantined") return 0;
        interruption = page;
        if (interruption) break;
        next = { ...cycle, after: `${type}:${links.at(-1)!.sourceId}` };
        break;
      }
      case "members": {
        const ids = await this.reader.pageIds("Group", cycle.after, size);
        if (ids.length === 0) {
          next = { ...cycle, stage: "references", after: undefined };
          break;
        }
        for (const id of ids) {
          const result = await members.syncGroup(id, { readBack: cycle.kind === "reconcile" });
          if (result.loweredChangesPerPatch !== undefined) state = { ...state, memberChangesPerPatch: result.loweredChangesPerPatch };
          interruption = interruptionOf(result);
          if (interruption) break;
        }
        if (interruption) break;
        next = { ...cycle, after: ids.at(-1) };
        break;
      }
      case "references": {
        // Users written before their manager existed in the target (no hash recorded): write them again now.
        const links = await this.store.read((s) => s.outbound.pageLinks(this.appId, "User", cycle.after, size));
        if (links.length === 0) {
          const now = this.now();
          const summary = { id: cycle.id, kind: cycle.kind, startedAt: cycle.startedAt, endedAt: now.toISOString(), durationMs: now.getTime() - Date.parse(cycle.startedAt), outcome: "completed" as const, counts: cycle.counts };
          await this.save(app, { ...state, cycle: undefined, lastCycle: summary, initialDone: true, lastReconcileAt: now.toISOString() } as AppState);
          return 0;
        }
        const unresolved = links.filter((candidate) => candidate.status === "synced" && candidate.writtenHash === null);
        const plans = await Promise.all(unresolved.map((link) => objects.plan("User", link.sourceId)));
        const applied = await applyConcurrently(objects, plans, runtime.settings.maxConcurrency, false);
        for (const { result } of applied.results) tally(result);
        interruption = applied.interruption;
        if (interruption) break;
        next = { ...cycle, after: links.at(-1)!.sourceId };
        break;
      }
    }
    const merged: CycleProgress = { ...next, counts: addCounts(next.counts, counts) };
    const totals = addCounts(state.totals, counts);
    if (interruption && "appFailure" in interruption) {
      await this.save(app, { ...state, totals, cycle: { ...cycle, counts: addCounts(cycle.counts, counts) }, quarantine: this.quarantineFor(state, interruption.appFailure) });
      return 0;
    }
    await this.save(app, { ...state, totals, cycle: interruption ? { ...cycle, counts: addCounts(cycle.counts, counts) } : merged });
    return interruption && "throttledMs" in interruption ? interruption.throttledMs : 0;
  }

  /**
   * The accidental-deletion guard: when the deprovisions of this cycle (or of this hour of changes) would
   * pass the app's limit, they are staged instead of sent, and the app is quarantined until an admin
   * allows or rejects them. Everything else in the batch still runs.
   */
  private async guard(app: AppRecord, runtime: AppRuntime, state: AppState, plans: readonly ObjectPlan[], cycle: CycleProgress | undefined): Promise<{ run: ObjectPlan[]; quarantine?: Quarantine }> {
    const deprovisions = plans.filter((plan) => plan.action === "disable" || plan.action === "delete");
    if (deprovisions.length === 0) return { run: [...plans] };
    if (state.guardAllowedUntil && Date.parse(state.guardAllowedUntil) > this.now().getTime()) return { run: [...plans] };
    const linked = (await this.store.read((s) => s.outbound.linkCounts(this.appId))).filter((row) => row.status !== "deleted" && row.status !== "pending").reduce((sum, row) => sum + row.count, 0);
    const { limit, description } = deletionLimit(runtime.settings.deletionThreshold, linked);
    const hourAgo = this.now().getTime() - 3_600_000;
    const window = state.deprovisionWindow && Date.parse(state.deprovisionWindow.since) > hourAgo ? state.deprovisionWindow.count : 0;
    const already = cycle ? cycle.counts.disabled + cycle.counts.deleted : window;
    if (already + deprovisions.length <= limit) return { run: [...plans] };
    const now = this.now().toISOString();
    await this.store.write((s) =>
      s.outbound.stage(
        deprovisions.map((plan) => ({ tenantId: this.tenantId, appId: this.appId, id: newId(), resourceType: plan.type, sourceId: plan.sourceId, action: plan.action as "disable" | "delete", reason: plan.reason, created: now })),
      ),
    );
    const reason = `${already + deprovisions.length} objects would be disabled or deleted, more than the deletion threshold (${description}); nothing was sent for them.`;
    return {
      run: plans.filter((plan) => plan.action !== "disable" && plan.action !== "delete"),
      quarantine: { code: "tooManyDeletions", reason, fix: "Review the staged actions, then allow them or reject them (the objects then stay in the target and Muster stops managing them).", since: now, attempts: 1 },
    };
  }

  /** Applies the next batch of changes from the app's checkpoint; the checkpoint moves only past what was applied or parked. */
  private async pumpFeed(app: AppRecord, runtime: AppRuntime, state: AppState): Promise<{ count: number; state: AppState; interrupted: boolean; wait: number }> {
    const consumer = appConsumer(this.appId);
    const [checkpoint, pruned] = await this.store.read(async (s) => [await s.changes.checkpoint(this.tenantId, consumer), await s.changes.pruned(this.tenantId)] as const);
    if (pruned && (!checkpoint || compareFeedPositions(checkpoint, pruned) < 0)) {
      // Changes this app had not read were pruned (it was off longer than the feed's retention): evaluate everything again.
      const head = await this.store.read((s) => s.changes.head(this.tenantId));
      await this.store.write((s) => s.changes.saveCheckpoint(this.tenantId, consumer, head ?? pruned, this.now().toISOString()));
      await this.save(app, { ...state, cycle: this.newCycle("reconcile", 0) });
      return { count: 1, state, interrupted: true, wait: 0 };
    }
    const changes = await this.store.read((s) => s.changes.read(this.tenantId, checkpoint, this.options.feedBatch));
    if (changes.length === 0) return { count: 0, state, interrupted: false, wait: 0 };
    const result = await this.applyChanges(app, runtime, state, changes, "incremental");
    if (result.interruption) {
      if ("appFailure" in result.interruption) await this.save(app, { ...result.state, quarantine: this.quarantineFor(result.state, result.interruption.appFailure) });
      else await this.save(app, result.state);
      return { count: changes.length, state: result.state, interrupted: true, wait: "throttledMs" in result.interruption ? result.interruption.throttledMs : 0 };
    }
    const last = changes.at(-1)!;
    await this.store.write((s) => s.changes.saveCheckpoint(this.tenantId, consumer, last.position, this.now().toISOString()));
    const next: AppState = { ...result.state, lastChangeAt: last.at };
    await this.save(app, next);
    return { count: changes.length, state: next, interrupted: result.quarantine !== undefined, wait: 0 };
  }

  /** What a batch of changes means for the target: each touched object synced, then the memberships touched. */
  private async applyChanges(app: AppRecord, runtime: AppRuntime, state: AppState, changes: readonly ChangeRecord[], cycle: string): Promise<{ state: AppState; interruption?: Interruption; quarantine?: Quarantine }> {
    const objects = new ObjectSync(this.contextOf(runtime, cycle));
    const members = new MembershipSync(this.contextOf(runtime, cycle));
    const touched = new Map<string, { type: ResourceTypeName; id: string }>();
    const pairs = new Map<string, Set<string>>();
    const assigned = runtime.scope.kind === "assigned" ? runtime.scope.groupIds : undefined;
    for (const change of changes) {
      if (change.action === "member_added" || change.action === "member_removed") {
        const member = change.member!;
        (pairs.get(change.resourceId) ?? pairs.set(change.resourceId, new Set()).get(change.resourceId)!).add(member.value);
        // Joining or leaving an assigned group moves a user into or out of scope.
        if (assigned?.has(change.resourceId) && member.type === "User") touched.set(`User:${member.value}`, { type: "User", id: member.value });
      } else {
        touched.set(`${change.resourceType}:${change.resourceId}`, { type: change.resourceType, id: change.resourceId });
      }
    }
    let counts: Counts = zeroCounts();
    const plans = await Promise.all([...touched.values()].sort((a, b) => (a.type === b.type ? 0 : a.type === "User" ? -1 : 1)).map((object) => objects.plan(object.type, object.id)));
    const guarded = await this.guard(app, runtime, state, plans, undefined);
    const relinked: string[] = [];
    // Users before groups: a group's members are written once the users exist in the target.
    let interruption: Interruption | undefined;
    for (const type of ["User", "Group"] as const) {
      const applied = await applyConcurrently(objects, guarded.run.filter((plan) => plan.type === type), runtime.settings.maxConcurrency, true);
      for (const { plan, result } of applied.results) {
        counts = addCounts(counts, { [result.counter]: 1 });
        if (result.linked || result.unlinked) relinked.push(plan.sourceId);
      }
      interruption = applied.interruption;
      if (interruption) break;
    }
    const deprovisioned = counts.disabled + counts.deleted;
    const hourAgo = this.now().getTime() - 3_600_000;
    const window = state.deprovisionWindow && Date.parse(state.deprovisionWindow.since) > hourAgo ? state.deprovisionWindow : { since: this.now().toISOString(), count: 0 };
    let next: AppState = { ...state, totals: addCounts(state.totals, counts), deprovisionWindow: { since: window.since, count: window.count + deprovisioned }, ...(guarded.quarantine ? { quarantine: guarded.quarantine } : {}) };
    if (interruption) return { state: next, interruption };
    for (const id of relinked) {
      const result = await members.syncMember(id);
      interruption = interruptionOf(result);
      if (interruption) return { state: next, interruption };
    }
    for (const [groupId, memberIds] of pairs) {
      const result = await members.syncPairs(groupId, [...memberIds]);
      if (result.loweredChangesPerPatch !== undefined) next = { ...next, memberChangesPerPatch: result.loweredChangesPerPatch };
      interruption = interruptionOf(result);
      if (interruption) return { state: next, interruption };
    }
    return { state: next, ...(guarded.quarantine ? { quarantine: guarded.quarantine } : {}) };
  }

  /** Objects whose retry is due: synced again (a group also gets its members synced whole). */
  private async retryDue(app: AppRecord, runtime: AppRuntime, state: AppState): Promise<{ count: number; state: AppState; interrupted: boolean; wait: number }> {
    const due = await this.store.read((s) => s.outbound.dueLinks(this.appId, this.now().toISOString(), 50));
    if (due.length === 0) return { count: 0, state, interrupted: false, wait: 0 };
    const cycle = "retry";
    const objects = new ObjectSync(this.contextOf(runtime, cycle));
    const members = new MembershipSync(this.contextOf(runtime, cycle));
    let counts = zeroCounts();
    for (const link of due) {
      // Clear the due time first: a retry that changes nothing must not come back at once.
      await this.store.write((s) => s.outbound.putLink({ ...link, nextRetryAt: null }));
      const result = await objects.apply(await objects.plan(link.resourceType, link.sourceId), { logSkips: false });
      counts = addCounts(counts, { [result.counter]: 1 });
      let interruption = interruptionOf(result);
      if (!interruption && link.resourceType === "Group") interruption = interruptionOf(await members.syncGroup(link.sourceId, { readBack: false }));
      else if (!interruption && (result.linked || result.unlinked)) interruption = interruptionOf(await members.syncMember(link.sourceId));
      if (interruption) {
        // Put the due time back: the object was not tried.
        await this.store.write((s) => s.outbound.putLink(link));
        const next = { ...state, totals: addCounts(state.totals, counts) };
        if ("appFailure" in interruption) await this.save(app, { ...next, quarantine: this.quarantineFor(next, interruption.appFailure) });
        return { count: due.length, state: next, interrupted: true, wait: "throttledMs" in interruption ? interruption.throttledMs : 0 };
      }
    }
    const next = { ...state, totals: addCounts(state.totals, counts) };
    await this.save(app, next);
    return { count: due.length, state: next, interrupted: false, wait: 0 };
  }
}
