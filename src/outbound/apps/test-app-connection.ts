import { adminError } from "../../admin/admin-error.js";
import { auditFailures, recordSuccess, type AuditActor } from "../../admin/audit-trail.js";
import { ScimTargetClient } from "../client/scim-target-client.js";
import { testConnection, type ConnectionReport } from "../client/test-connection.js";
import { openAppRuntime, type ClientSettings } from "../engine/app-runtime.js";
import { parseAppSettings } from "../settings/parse-app-settings.js";
import { attemptOnApp, factsOf, readTenantApp, settingsError } from "./app-access.js";
import { checkAppToken } from "./app-token.js";
import type { AppsContext } from "./apps-context.js";

/** What Test Connection of an unsaved app is given: the Tenant URL and token as typed, optionally the matching attributes. */
export interface UnsavedConnection {
  readonly baseUrl: unknown;
  readonly token: unknown;
  readonly matching?: unknown;
}

/** Runs Test Connection against a target with these settings; the client is closed afterwards. GET requests only. */
export async function probeTarget(clients: ClientSettings, target: { readonly baseUrl: string; readonly token: string; readonly userMatching: readonly string[]; readonly groupMatching: readonly string[] }): Promise<ConnectionReport> {
  const client = new ScimTargetClient({
    baseUrl: target.baseUrl,
    token: target.token,
    allowPrivateAddresses: clients.allowPrivateAddresses,
    ...(clients.timeoutMs === undefined ? {} : { timeoutMs: clients.timeoutMs }),
  });
  try {
    return await testConnection(client, { userMatching: target.userMatching, groupMatching: target.groupMatching });
  } finally {
    await client.close();
  }
}

/** What an audit event keeps of a report: whether it passed and which required probes failed. */
function reportDetails(report: ConnectionReport): { passed: boolean; failed: string[] } {
  return { passed: report.ok, failed: report.probes.filter((probe) => !probe.ok && probe.required).map((probe) => probe.id) };
}

/**
 * Test Connection of a saved app (audited as `app.tested` with the outcome): its token decrypted, its
 * matching attributes probed. A token that no longer decrypts, or settings that no longer validate,
 * are `invalid` with what to do.
 */
export async function testAppConnection(ctx: AppsContext, actor: AuditActor, slug: string, appId: string): Promise<ConnectionReport> {
  return auditFailures(ctx.store, attemptOnApp(actor, "app.tested", slug, appId), ctx.now, async () => {
    const found = await ctx.store.read((session) => readTenantApp(session, slug, appId));
    const runtime = openAppRuntime(found.app, ctx.keyring, ctx.clients);
    if (!runtime.ok) throw adminError("invalid", runtime.error.reason, { field: runtime.error.code === "token" ? "token" : "settings" });
    let report: ConnectionReport;
    try {
      report = await testConnection(runtime.value.client, { userMatching: runtime.value.settings.matching.users, groupMatching: runtime.value.settings.matching.groups });
    } finally {
      await runtime.value.client.close();
    }
    await ctx.store.write((session) => recordSuccess(session, factsOf(actor, "app.tested", found, reportDetails(report)), ctx.now()));
    return report;
  });
}

/**
 * Test Connection before an app is saved, from the Tenant URL and token typed in (audited as
 * `app.tested` without a target). Nothing is stored; the token is used for these requests only.
 */
export async function testUnsavedConnection(ctx: AppsContext, actor: AuditActor, slug: string, input: UnsavedConnection): Promise<ConnectionReport> {
  return auditFailures(ctx.store, attemptOnApp(actor, "app.tested", slug, null), ctx.now, async () => {
    const tenant = await ctx.store.read((session) => session.tenants.bySlug(slug));
    if (!tenant) throw adminError("not_found", `There is no tenant "${slug}".`);
    const token = checkAppToken(input.token);
    const settings = parseAppSettings({ name: "Test Connection", baseUrl: input.baseUrl, ...(input.matching === undefined ? {} : { matching: input.matching }) });
    if (!settings.ok) throw settingsError(settings.error);
    const report = await probeTarget(ctx.clients, { baseUrl: settings.value.baseUrl, token, userMatching: settings.value.matching.users, groupMatching: settings.value.matching.groups });
    const details = { baseUrl: settings.value.baseUrl, ...reportDetails(report) };
    await ctx.store.write((session) => recordSuccess(session, { actor, action: "app.tested", target: { kind: "app", id: null, label: null }, tenant: { id: tenant.id, slug: tenant.slug }, details }, ctx.now()));
    return report;
  });
}
