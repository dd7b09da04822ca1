import { adminError, type AdminError } from "../../admin/admin-error.js";
import { tenantOfEvent, type AuditActor, type AuditFacts, type AuditTarget } from "../../admin/audit-trail.js";
import type { AuditAction } from "../../../shared/admin-api.js";
import type { JsonObject } from "../../scim/json.js";
import type { AppRecord } from "../../store/outbound.js";
import type { StoreSession, TenantRecord } from "../../store/store.js";
import type { AppSettings } from "../settings/app-settings-schema.js";
import { parseAppSettings } from "../settings/parse-app-settings.js";
import { describeSettingsProblems, type SettingsProblem } from "../settings/settings-problem.js";

/** An app with the tenant it belongs to. */
export interface TenantApp {
  readonly tenant: TenantRecord;
  readonly app: AppRecord;
}

/**
 * The tenant with this slug and its app with this id, read in `session` (on PostgreSQL inside a write,
 * the app's row stays locked). AdminError `not_found` when either is missing; an app of another tenant
 * is missing too.
 */
export async function readTenantApp(session: StoreSession, slug: string, id: string): Promise<TenantApp> {
  const tenant = await session.tenants.bySlug(slug);
  if (!tenant) throw adminError("not_found", `There is no tenant "${slug}".`);
  const app = await session.outbound.getApp(tenant.id, id);
  if (!app) throw adminError("not_found", `Tenant "${slug}" has no app "${id.slice(0, 80)}".`);
  return { tenant, app };
}

/** An app as an audit event's target: its id, and its name as label. */
export function appTarget(app: Pick<AppRecord, "id" | "name">): AuditTarget {
  return { kind: "app", id: app.id, label: app.name };
}

/** The facts of an attempt on an app of the tenant with this slug, before either is known to exist. */
export function attemptOnApp(actor: AuditActor, action: AuditAction, slug: string, appId: string | null, label: string | null = null): AuditFacts {
  return { actor, action, target: { kind: "app", id: appId === null ? null : appId.slice(0, 80), label }, tenant: { id: null, slug } };
}

/** The facts of a successful action on an app. */
export function factsOf(actor: AuditActor, action: AuditAction, { tenant, app }: TenantApp, details: JsonObject = {}): AuditFacts {
  return { actor, action, target: appTarget(app), tenant: tenantOfEvent(tenant), details };
}

/**
 * Every setting of a stored app, defaults filled in. The columns hold name, baseUrl and provisioning;
 * `apps.settings` the rest. Settings stored by an older build that no longer validate are shown as stored.
 */
export function settingsOfApp(app: AppRecord): AppSettings {
  const parsed = parseAppSettings({ ...app.settings, name: app.name, baseUrl: app.baseUrl, provisioning: app.provisioning });
  return parsed.ok ? parsed.value : ({ ...app.settings, name: app.name, baseUrl: app.baseUrl, provisioning: app.provisioning } as unknown as AppSettings);
}

/** The settings as `apps.settings` keeps them: without name, baseUrl and provisioning, which have columns of their own. */
export function storedSettings(settings: AppSettings): JsonObject {
  const { name: _name, baseUrl: _baseUrl, provisioning: _provisioning, ...rest } = settings;
  return JSON.parse(JSON.stringify(rest)) as JsonObject;
}

/** Refused settings as an AdminError `invalid` that lists every problem (and names the first one's path as the field). */
export function settingsError(problems: readonly SettingsProblem[]): AdminError {
  return adminError("invalid", `The app's settings are not valid:\n${describeSettingsProblems(problems)}`, { field: problems[0]?.path || "settings", problems });
}

/** Ids checked per statement when looking assigned ids up. */
const idChunk = 500;

/** Problems with the assigned ids of a scope: each group id must be a group of the tenant, each user id a user. */
export async function assignedIdProblems(session: StoreSession, tenantId: string, scope: AppSettings["scope"]): Promise<SettingsProblem[]> {
  if (scope.kind !== "assigned") return [];
  const problems: SettingsProblem[] = [];
  const check = async (ids: readonly string[], type: "Group" | "User", key: "groupIds" | "userIds") => {
    for (let start = 0; start < ids.length; start += idChunk) {
      const chunk = ids.slice(start, start + idChunk);
      const found = await session.resources.findMembers(tenantId, chunk);
      chunk.forEach((id, index) => {
        if (found.get(id) !== type) problems.push({ path: `scope.${key}[${start + index}]`, message: `there is no ${type.toLowerCase()} with id "${id.slice(0, 80)}" in this tenant` });
      });
    }
  };
  await check(scope.groupIds, "Group", "groupIds");
  await check(scope.userIds, "User", "userIds");
  return problems;
}
