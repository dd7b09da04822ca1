import { adminError } from "../../admin/admin-error.js";
import { auditFailures, recordSuccess, type AuditActor } from "../../admin/audit-trail.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { StagedActionRecord } from "../../store/outbound.js";
import type { Store, StoreSession } from "../../store/store.js";
import { readAppState, type AppState } from "../engine/app-state.js";
import { attemptOnApp, factsOf, readTenantApp, type TenantApp } from "./app-access.js";
import { replaceEngineState } from "./app-switches.js";
import type { AppStoreContext } from "./apps-context.js";

/** How long an Allow lets deprovisions past the deletion guard. */
export const guardAllowanceMs = 60 * 60 * 1000;

/** Staged actions read per statement while deciding on them. */
const pageSize = 500;

/** A page of an app's staged actions, oldest first, and how many there are. */
export async function listStagedActions(store: Store, slug: string, appId: string, page: { readonly after?: string; readonly count: number }): Promise<{ records: StagedActionRecord[]; total: number }> {
  return store.read(async (session) => {
    const { app } = await readTenantApp(session, slug, appId);
    const total = await session.outbound.countStaged(app.id);
    return { records: total === 0 ? [] : await session.outbound.listStaged(app.id, page), total };
  });
}

/** Calls `each` with every staged action of the app, a page at a time. */
async function forEachStaged(session: StoreSession, appId: string, each: (page: StagedActionRecord[]) => Promise<void>): Promise<void> {
  for (let after: string | undefined; ; ) {
    const page = await session.outbound.listStaged(appId, { ...(after === undefined ? {} : { after }), count: pageSize });
    if (page.length === 0) return;
    await each(page);
    after = page.at(-1)!.id;
  }
}

/** The source ids of a page per type, each once. */
function idsByType(page: readonly StagedActionRecord[]): Map<ResourceTypeName, string[]> {
  const byType = new Map<ResourceTypeName, Set<string>>();
  for (const action of page) (byType.get(action.resourceType) ?? byType.set(action.resourceType, new Set()).get(action.resourceType)!).add(action.sourceId);
  return new Map([...byType].map(([type, ids]) => [type, [...ids]]));
}

/** The state without a quarantine for staged deletions (the decision lifts it). */
function withoutGuardQuarantine(state: AppState): AppState {
  if (state.quarantine?.code !== "tooManyDeletions") return state;
  const { quarantine: _lifted, ...rest } = state;
  return rest;
}

/** Runs a decision on the staged actions of an app in one transaction; `conflict` when nothing is staged. */
async function decide(ctx: AppStoreContext, actor: AuditActor, slug: string, appId: string, action: "app.staged_allowed" | "app.staged_rejected", work: (session: StoreSession, found: TenantApp, now: Date) => Promise<AppState>): Promise<number> {
  return auditFailures(ctx.store, attemptOnApp(actor, action, slug, appId), ctx.now, async () => {
    const now = ctx.now();
    return ctx.store.write(async (session) => {
      const found = await readTenantApp(session, slug, appId);
      const count = await session.outbound.countStaged(found.app.id);
      if (count === 0) throw adminError("conflict", "Nothing is staged for this app.");
      const state = await work(session, found, now);
      await session.outbound.unstage(found.app.id);
      const decided = await replaceEngineState(session, found, withoutGuardQuarantine(state), now);
      await recordSuccess(session, factsOf(actor, action, { tenant: found.tenant, app: decided }, { count }), now);
      return count;
    });
  });
}

/**
 * Allows every staged action (audited as `app.staged_allowed`): they are unstaged, their objects are due
 * for a retry at once (so changes the feed has moved past are planned and sent again), and deprovisions
 * pass the deletion guard for the next hour (a cycle that staged them redoes its page). Returns how many.
 */
export async function allowStagedActions(ctx: AppStoreContext, actor: AuditActor, slug: string, appId: string): Promise<number> {
  return decide(ctx, actor, slug, appId, "app.staged_allowed", async (session, found, now) => {
    await forEachStaged(session, found.app.id, async (page) => {
      for (const [type, ids] of idsByType(page)) {
        for (const link of (await session.outbound.getLinks(found.app.id, type, ids)).values()) {
          await session.outbound.putLink({ ...link, nextRetryAt: now.toISOString(), updated: now.toISOString() });
        }
      }
    });
    return { ...readAppState(found.app.state), guardAllowedUntil: new Date(now.getTime() + guardAllowanceMs).toISOString() };
  });
}

/**
 * Rejects every staged action (audited as `app.staged_rejected`): nothing is sent for them, and Muster
 * forgets the links (and written memberships) of their objects, so it stops managing them; they stay in
 * the target as they are. An object that comes back into scope later is matched and adopted again.
 */
export async function rejectStagedActions(ctx: AppStoreContext, actor: AuditActor, slug: string, appId: string): Promise<number> {
  return decide(ctx, actor, slug, appId, "app.staged_rejected", async (session, found) => {
    await forEachStaged(session, found.app.id, async (page) => {
      for (const [type, ids] of idsByType(page)) {
        for (const id of ids) {
          await session.outbound.deleteLink(found.app.id, type, id);
          await session.outbound.forgetMember(found.app.id, id);
          if (type === "Group") await session.outbound.clearMemberships(found.app.id, id);
        }
      }
    });
    return readAppState(found.app.state);
  });
}
