import { auditFailures, recordSuccess, type AuditActor } from "../../admin/audit-trail.js";
import type { JsonObject } from "../../scim/json.js";
import type { AppProvisioning, AppRecord } from "../../store/outbound.js";
import type { StoreSession } from "../../store/store.js";
import { appConsumer } from "../engine/app-runner.js";
import { readAppState, type AppState } from "../engine/app-state.js";
import { attemptOnApp, factsOf, readTenantApp, type TenantApp } from "./app-access.js";
import type { AppStoreContext } from "./apps-context.js";

/**
 * Replaces the engine's state of an app and bumps its version in the same transaction: a runner working
 * on the app fails to save the state it holds (its save expects the old version), reads the app again
 * and goes on from this state instead of overwriting it.
 */
export async function replaceEngineState(session: StoreSession, found: TenantApp, state: AppState, now: Date): Promise<AppRecord> {
  const bumped = await session.outbound.updateApp(found.tenant.id, found.app.id, {}, now.toISOString(), found.app.version);
  await session.outbound.saveAppState(found.tenant.id, found.app.id, state as unknown as JsonObject);
  return { ...(bumped ?? found.app), state: state as unknown as JsonObject };
}

/** Switches provisioning on or off (pause and resume), audited as `app.provisioning_on`/`off`; switching to the state it is in changes nothing. */
export async function setProvisioning(ctx: AppStoreContext, actor: AuditActor, slug: string, appId: string, provisioning: AppProvisioning): Promise<AppRecord> {
  const action = provisioning === "on" ? "app.provisioning_on" : "app.provisioning_off";
  return auditFailures(ctx.store, attemptOnApp(actor, action, slug, appId), ctx.now, async () => {
    const now = ctx.now();
    return ctx.store.write(async (session) => {
      const found = await readTenantApp(session, slug, appId);
      if (found.app.provisioning === provisioning) return found.app;
      const updated = (await session.outbound.updateApp(found.tenant.id, found.app.id, { provisioning }, now.toISOString(), found.app.version)) ?? found.app;
      await recordSuccess(session, factsOf(actor, action, { tenant: found.tenant, app: updated }), now);
      return updated;
    });
  });
}

/**
 * Restarts provisioning (audited as `app.restarted`): forgets the app's position in the change feed, its
 * cycle, quarantine, totals and staged actions, and keeps its links, so the next step starts a new
 * initial cycle that re-evaluates every object and matches against what the links remember. The last
 * cycle's summary and what the target taught about PATCH sizes are kept. One transaction.
 */
export async function restartApp(ctx: AppStoreContext, actor: AuditActor, slug: string, appId: string): Promise<AppRecord> {
  return auditFailures(ctx.store, attemptOnApp(actor, "app.restarted", slug, appId), ctx.now, async () => {
    const now = ctx.now();
    return ctx.store.write(async (session) => {
      const found = await readTenantApp(session, slug, appId);
      const previous = readAppState(found.app.state);
      const state: AppState = {
        initialDone: false,
        totals: readAppState({}).totals,
        ...(previous.lastCycle ? { lastCycle: previous.lastCycle } : {}),
        ...(previous.memberChangesPerPatch !== undefined ? { memberChangesPerPatch: previous.memberChangesPerPatch } : {}),
      };
      await session.changes.deleteCheckpoint(found.tenant.id, appConsumer(found.app.id));
      const unstaged = await session.outbound.unstage(found.app.id);
      const restarted = await replaceEngineState(session, found, state, now);
      await recordSuccess(session, factsOf(actor, "app.restarted", { tenant: found.tenant, app: restarted }, { unstaged }), now);
      return restarted;
    });
  });
}
