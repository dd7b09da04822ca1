import { adminError } from "../../admin/admin-error.js";
import { auditFailures, recordSuccess, type AuditActor } from "../../admin/audit-trail.js";
import { appConsumer } from "../engine/app-runner.js";
import { attemptOnApp, factsOf, readTenantApp } from "./app-access.js";
import type { AppStoreContext } from "./apps-context.js";

/**
 * Deletes an app with its links, memberships, provisioning log, staged actions and change-feed
 * checkpoint, in one transaction audited as `app.deleted`. Nothing is sent to the target: what Muster
 * provisioned stays there. The engine's runner stops at its next step. With `version`, `conflict` when
 * the app changed meanwhile.
 */
export async function deleteApp(ctx: AppStoreContext, actor: AuditActor, slug: string, appId: string, version?: number): Promise<void> {
  await auditFailures(ctx.store, attemptOnApp(actor, "app.deleted", slug, appId), ctx.now, async () => {
    const now = ctx.now();
    await ctx.store.write(async (session) => {
      const found = await readTenantApp(session, slug, appId);
      if (version !== undefined && found.app.version !== version) {
        throw adminError("conflict", `The app was changed meanwhile (it is at version ${found.app.version}, not ${version}); read it again before deleting it.`, { field: "version" });
      }
      await session.outbound.deleteApp(found.tenant.id, found.app.id);
      await session.changes.deleteCheckpoint(found.tenant.id, appConsumer(found.app.id));
      await recordSuccess(session, factsOf(actor, "app.deleted", found, { name: found.app.name, baseUrl: found.app.baseUrl }), now);
    });
  });
}
