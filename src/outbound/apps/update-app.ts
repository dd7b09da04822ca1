import { adminError } from "../../admin/admin-error.js";
import { auditFailures, recordSuccess, type AuditActor } from "../../admin/audit-trail.js";
import { ScimError } from "../../scim/errors.js";
import type { JsonObject } from "../../scim/json.js";
import { encryptSecret } from "../../secrets/encrypt-secret.js";
import type { AppChanges, AppRecord } from "../../store/outbound.js";
import { appTokenContext } from "../engine/app-runtime.js";
import type { AppSettings } from "../settings/app-settings-schema.js";
import { applyAppSettingsPatch } from "../settings/apply-app-settings-patch.js";
import { parseAppSettingsPatch } from "../settings/parse-app-settings-patch.js";
import { assignedIdProblems, attemptOnApp, factsOf, readTenantApp, settingsError, settingsOfApp, storedSettings } from "./app-access.js";
import { checkAppToken, maskedTokenHint, tokenHintOf } from "./app-token.js";
import type { AppsContext } from "./apps-context.js";

/** What changing an app is given: the settings to change (each replaces its value), a new token, and the version the change is based on. */
export interface UpdateAppInput {
  readonly patch: unknown;
  readonly token?: unknown;
  /** When given, the change is refused (`conflict`) if the app is no longer at this version. */
  readonly version?: number;
}

/** The settings whose value differs, by name (provisioning apart: it has events of its own). */
function changedSettings(before: AppSettings, after: AppSettings): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  names.delete("provisioning");
  return [...names].filter((name) => JSON.stringify((before as Record<string, unknown>)[name]) !== JSON.stringify((after as Record<string, unknown>)[name]));
}

/** The conflict an app changed meanwhile gives. */
function changedMeanwhile(app: AppRecord, expected: number): Error {
  return adminError("conflict", `The app was changed meanwhile (it is at version ${app.version}, the change was based on ${expected}); read it again and repeat the change.`, { field: "version" });
}

/**
 * Changes an app's settings and/or token in one transaction, audited as `app.updated` (the names of the
 * settings that changed), `app.token_replaced` (the new token's hint) and `app.provisioning_on`/`off`.
 * Moving the Tenant URL to another origin needs the token again, so a stored token is never sent
 * anywhere it was not entered for. Bumps the version, so the engine picks the change up at its next step.
 * A change that changes nothing writes nothing.
 */
export async function updateApp(ctx: AppsContext, actor: AuditActor, slug: string, appId: string, input: UpdateAppInput): Promise<AppRecord> {
  return auditFailures(ctx.store, attemptOnApp(actor, "app.updated", slug, appId), ctx.now, async () => {
    const patch = parseAppSettingsPatch(input.patch);
    if (!patch.ok) throw settingsError(patch.error);
    const token = input.token === undefined ? undefined : checkAppToken(input.token);
    const now = ctx.now();
    return ctx.store.write(async (session) => {
      const found = await readTenantApp(session, slug, appId);
      const { tenant, app } = found;
      if (input.version !== undefined && app.version !== input.version) throw changedMeanwhile(app, input.version);
      const current = settingsOfApp(app);
      const next = applyAppSettingsPatch(current, patch.value);
      if (!next.ok) throw settingsError(next.error);
      const settings = next.value;
      if (patch.value.scope !== undefined) {
        const unknownIds = await assignedIdProblems(session, tenant.id, settings.scope);
        if (unknownIds.length > 0) throw settingsError(unknownIds);
      }
      if (token === undefined && new URL(settings.baseUrl).origin !== new URL(current.baseUrl).origin) {
        throw adminError("invalid", "Enter the Secret Token again to move the app to another host: its stored token is only sent where it was entered for.", { field: "token" });
      }
      const changed = changedSettings(current, settings);
      const switched = settings.provisioning !== current.provisioning;
      if (changed.length === 0 && !switched && token === undefined) return app;
      const changes: AppChanges = {
        name: settings.name,
        baseUrl: settings.baseUrl,
        settings: storedSettings(settings),
        provisioning: settings.provisioning,
        ...(token === undefined ? {} : { tokenCiphertext: encryptSecret(ctx.keyring, token, appTokenContext(tenant.id, app.id)), tokenHint: tokenHintOf(token) }),
      };
      let updated: AppRecord | undefined;
      try {
        updated = await session.outbound.updateApp(tenant.id, app.id, changes, now.toISOString(), app.version);
      } catch (error) {
        // Another transaction moved the version between the read and the write (a row lock prevents it on PostgreSQL).
        if (error instanceof ScimError && error.status === 412) throw changedMeanwhile(app, app.version);
        throw error;
      }
      if (!updated) throw adminError("not_found", `Tenant "${slug}" has no app "${appId.slice(0, 80)}".`);
      const after = { tenant, app: updated };
      if (changed.length > 0) {
        const details: JsonObject = { changed };
        if (changed.includes("name")) details["name"] = { old: app.name, new: updated.name };
        if (changed.includes("baseUrl")) details["baseUrl"] = { old: app.baseUrl, new: updated.baseUrl };
        await recordSuccess(session, factsOf(actor, "app.updated", after, details), now);
      }
      if (token !== undefined) await recordSuccess(session, factsOf(actor, "app.token_replaced", after, { token: maskedTokenHint(updated.tokenHint) }), now);
      if (switched) await recordSuccess(session, factsOf(actor, updated.provisioning === "on" ? "app.provisioning_on" : "app.provisioning_off", after), now);
      return updated;
    });
  });
}
