import type { AppCounts, AppLinkStatus, AppPhase, AppStatus } from "../../../shared/admin-api.js";
import type { AppRecord, LinkStatus } from "../../store/outbound.js";
import type { StoreSession } from "../../store/store.js";
import { appConsumer } from "../engine/app-runner.js";
import { readAppState, type AppState, type Counts } from "../engine/app-state.js";

/** Changes counted at most for an app's backlog: enough to tell "a few" from "a lot" without counting a huge feed. */
export const backlogCap = 10_000;

const linkStatuses: readonly LinkStatus[] = ["pending", "synced", "failed", "disabled", "deleted", "skipped", "staged"];

function noLinks(): Record<AppLinkStatus, number> {
  return Object.fromEntries(linkStatuses.map((status) => [status, 0])) as Record<AppLinkStatus, number>;
}

function countsOf(counts: Counts): AppCounts {
  const { created, updated, adopted, disabled, deleted, failed, skipped } = counts;
  return { created, updated, adopted, disabled, deleted, failed, skipped };
}

function phaseOf(app: AppRecord, state: AppState): AppPhase {
  if (app.provisioning !== "on") return "off";
  if (state.quarantine) return "quarantined";
  if (!state.initialDone) return "initialCycle";
  if (state.cycle) return "reconciling";
  return "incremental";
}

/**
 * An app's statistics and state (shared/admin-api.ts AppStatus): the engine's state, its links per type
 * and status, staged actions, and the backlog of the change feed after the app's checkpoint (counted up
 * to backlogCap) with the age of its oldest change. A handful of indexed reads in `session`.
 */
export async function readAppStatus(session: StoreSession, app: AppRecord, now: Date): Promise<AppStatus> {
  const state = readAppState(app.state);
  // One after another: a transaction's statements share one connection.
  const linkRows = await session.outbound.linkCounts(app.id);
  const staged = await session.outbound.countStaged(app.id);
  const checkpoint = await session.changes.checkpoint(app.tenantId, appConsumer(app.id));
  const links = { users: noLinks(), groups: noLinks() };
  for (const row of linkRows) (row.resourceType === "User" ? links.users : links.groups)[row.status] += row.count;
  let backlog: AppStatus["backlog"] = null;
  let lagMs: number | null = null;
  // Before the first cycle has started there is no checkpoint: everything is still to do, which is no backlog.
  if (checkpoint !== undefined) {
    const count = await session.changes.countAfter(app.tenantId, checkpoint, backlogCap);
    const oldest = await session.changes.read(app.tenantId, checkpoint, 1);
    backlog = { count, cap: backlogCap };
    lagMs = oldest[0] ? Math.max(0, now.getTime() - Date.parse(oldest[0].at)) : 0;
  }
  const quarantine = state.quarantine;
  const cycle = state.cycle;
  const last = state.lastCycle;
  const leased = app.leaseOwner !== null && app.leaseUntil !== null && Date.parse(app.leaseUntil) > now.getTime();
  return {
    phase: phaseOf(app, state),
    quarantine: quarantine ? { code: quarantine.code, reason: quarantine.reason, fix: quarantine.fix, since: quarantine.since, nextAttemptAt: quarantine.nextAttemptAt ?? null } : null,
    staged,
    lastCycle: last ? { id: last.id, kind: last.kind, startedAt: last.startedAt, endedAt: last.endedAt, durationMs: last.durationMs, outcome: last.outcome, counts: countsOf(last.counts) } : null,
    currentCycle: cycle ? { id: cycle.id, kind: cycle.kind, startedAt: cycle.startedAt, stage: cycle.stage, done: cycle.done, total: cycle.total, counts: countsOf(cycle.counts) } : null,
    totals: countsOf(state.totals),
    links,
    backlog,
    lagMs,
    lastChangeAt: state.lastChangeAt ?? null,
    worker: leased ? { node: app.leaseOwner!, until: app.leaseUntil! } : null,
  };
}
