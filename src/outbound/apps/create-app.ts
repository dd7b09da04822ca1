import { adminError } from "../../admin/admin-error.js";
import { auditFailures, recordSuccess, type AuditActor } from "../../admin/audit-trail.js";
import type { JsonObject } from "../../scim/json.js";
import { encryptSecret } from "../../secrets/encrypt-secret.js";
import { newId } from "../../store/ids.js";
import type { AppRecord } from "../../store/outbound.js";
import { appTokenContext } from "../engine/app-runtime.js";
import { parseAppSettings } from "../settings/parse-app-settings.js";
import { assignedIdProblems, attemptOnApp, factsOf, settingsError, storedSettings } from "./app-access.js";
import { checkAppToken, maskedTokenHint, tokenHintOf } from "./app-token.js";
import type { AppsContext } from "./apps-context.js";
import { probeTarget } from "./test-app-connection.js";

/** What creating an app is given: the settings object (docs/outbound-settings.md), the target's token, and whether to test first. */
export interface CreateAppInput {
  readonly settings: unknown;
  readonly token: unknown;
  /** Run Test Connection first; when it fails, nothing is saved. */
  readonly testConnection?: boolean;
}

/**
 * Adds an outbound app to the tenant with this slug (audited as `app.created`, without the token):
 * validates the settings (`invalid` with every problem and its path), checks that assigned groups and
 * users are the tenant's, optionally runs Test Connection and refuses on failure, encrypts the token
 * bound to the new app, and keeps its last 4 characters as a hint. Provisioning stays off unless the
 * settings say `provisioning: "on"`.
 */
export async function createApp(ctx: AppsContext, actor: AuditActor, slug: string, input: CreateAppInput): Promise<AppRecord> {
  const name = (input.settings as { name?: unknown } | null)?.name;
  const label = typeof name === "string" && name.trim() !== "" ? name.trim().slice(0, 100) : null;
  return auditFailures(ctx.store, attemptOnApp(actor, "app.created", slug, null, label), ctx.now, async () => {
    const tenant = await ctx.store.read((session) => session.tenants.bySlug(slug));
    if (!tenant) throw adminError("not_found", `There is no tenant "${slug}".`);
    const parsed = parseAppSettings(input.settings);
    if (!parsed.ok) throw settingsError(parsed.error);
    const settings = parsed.value;
    const token = checkAppToken(input.token);
    const unknownIds = await ctx.store.read((session) => assignedIdProblems(session, tenant.id, settings.scope));
    if (unknownIds.length > 0) throw settingsError(unknownIds);
    if (input.testConnection) {
      const report = await probeTarget(ctx.clients, { baseUrl: settings.baseUrl, token, userMatching: settings.matching.users, groupMatching: settings.matching.groups });
      if (!report.ok) {
        const failed = report.probes.filter((probe) => probe.required && !probe.ok).map((probe) => probe.summary);
        throw adminError("invalid", `Test Connection failed, so the app was not saved: ${failed.join(" ")}`, { field: "baseUrl" });
      }
    }
    const now = ctx.now();
    const id = newId(now.getTime());
    const record: Omit<AppRecord, "version" | "leaseOwner" | "leaseUntil"> = {
      tenantId: tenant.id,
      id,
      name: settings.name,
      baseUrl: settings.baseUrl,
      tokenCiphertext: encryptSecret(ctx.keyring, token, appTokenContext(tenant.id, id)),
      tokenHint: tokenHintOf(token),
      settings: storedSettings(settings),
      provisioning: settings.provisioning,
      state: {},
      created: now.toISOString(),
      updated: now.toISOString(),
    };
    return ctx.store.write(async (session) => {
      // The tenant may have been deleted while the target was being tested.
      if ((await session.tenants.bySlug(slug))?.id !== tenant.id) throw adminError("not_found", `There is no tenant "${slug}".`);
      const created = await session.outbound.createApp(record);
      const details: JsonObject = { name: created.name, baseUrl: created.baseUrl, scope: settings.scope.kind, provisioning: created.provisioning, token: maskedTokenHint(created.tokenHint), tested: input.testConnection === true };
      await recordSuccess(session, factsOf(actor, "app.created", { tenant, app: created }, details), now);
      return created;
    });
  });
}
