import { auditActions, auditAreas, type AuditExportFormat } from "../../shared/admin-api.js";
import type { ProvisioningContext } from "../provisioning/context.js";
import type { JsonObject } from "../scim/json.js";
import { fail, ok, type Result } from "../scim/result.js";
import type { AuditActorKind, AuditEventRecord, AuditFilter, AuditOutcome, Store } from "../store/store.js";
import { adminError, type AdminError } from "./admin-error.js";
import { auditFailures, recordSuccess, type AuditActor } from "./audit-trail.js";
import { nextCursorOf, oneOfParameter, optionalParameter, parsePageStart, type PageStart, type RawQuery } from "./paging.js";

/** The actor kinds an event can have. */
export const auditActorKinds: readonly AuditActorKind[] = ["admin", "api_key", "cli", "system", "anonymous"];
/** The outcomes an event can have. */
export const auditOutcomes: readonly AuditOutcome[] = ["success", "failure"];
/** The export formats. */
export const auditExportFormats: readonly AuditExportFormat[] = ["csv", "json"];

/** Events read per database round trip while exporting. */
const exportPageSize = 500;
const maxTextParameter = 320;

/** A validated audit list request. */
export interface AuditListRequest {
  readonly filter: AuditFilter;
  readonly page: PageStart;
}

/** One page of the audit log, newest first. */
export interface AuditListPage {
  readonly records: readonly AuditEventRecord[];
  readonly total: number;
  readonly nextCursor: string | null;
}

function text(query: RawQuery, name: string): Result<string | undefined, AdminError> {
  const value = optionalParameter(query, name);
  if (!value.ok) return value;
  const trimmed = value.value?.trim() ?? "";
  if (trimmed === "") return ok(undefined);
  if (trimmed.length > maxTextParameter) return fail(adminError("invalid", `${name} must be at most ${maxTextParameter} characters.`, { field: name }));
  return ok(trimmed);
}

function time(query: RawQuery, name: string): Result<string | undefined, AdminError> {
  const value = text(query, name);
  if (!value.ok || value.value === undefined) return value;
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(value.value) ? Date.parse(value.value) : Number.NaN;
  if (Number.isNaN(parsed)) return fail(adminError("invalid", `${name} must be an ISO 8601 date or time, e.g. 2026-03-01T00:00:00Z.`, { field: name }));
  return ok(new Date(parsed).toISOString());
}

/** `action`: one action of the catalogue, or an area of it with `.*` (`tenant.*`). */
function actionFilter(query: RawQuery): Result<Pick<AuditFilter, "action" | "actionPrefix">, AdminError> {
  const value = text(query, "action");
  if (!value.ok) return value;
  if (value.value === undefined) return ok({});
  if (Object.hasOwn(auditActions, value.value)) return ok({ action: value.value });
  const area = value.value.endsWith(".*") ? value.value.slice(0, -2) : undefined;
  if (area !== undefined && Object.hasOwn(auditAreas, area)) return ok({ actionPrefix: `${area}.` });
  return fail(adminError("invalid", `action must be an action of the audit catalogue (e.g. tenant.created) or an area followed by .* (e.g. tenant.*); got "${value.value.slice(0, 80)}".`, { field: "action" }));
}

/** Parses the filters of GET /api/audit and /api/audit/export (shared/admin-api.ts AuditQuery). */
export function parseAuditFilter(query: RawQuery): Result<AuditFilter, AdminError> {
  const action = actionFilter(query);
  if (!action.ok) return action;
  const outcome = oneOfParameter(query, "outcome", auditOutcomes);
  if (!outcome.ok) return outcome;
  const actorKind = oneOfParameter(query, "actorKind", auditActorKinds);
  if (!actorKind.ok) return actorKind;
  const values: Partial<Record<"actorId" | "actor" | "tenant" | "q" | "since" | "until", string>> = {};
  for (const name of ["actorId", "actor", "tenant", "q"] as const) {
    const value = text(query, name);
    if (!value.ok) return value;
    if (value.value !== undefined) values[name] = value.value;
  }
  for (const name of ["since", "until"] as const) {
    const value = time(query, name);
    if (!value.ok) return value;
    if (value.value !== undefined) values[name] = value.value;
  }
  return ok({
    ...action.value,
    ...(outcome.value ? { outcome: outcome.value } : {}),
    ...(actorKind.value ? { actorKind: actorKind.value } : {}),
    ...(values.actorId ? { actorId: values.actorId } : {}),
    ...(values.actor ? { actorLabel: values.actor } : {}),
    // Slugs are stored in lower case; one typed in capitals still finds its tenant.
    ...(values.tenant ? { tenantSlug: values.tenant.toLowerCase() } : {}),
    ...(values.since ? { since: values.since } : {}),
    ...(values.until ? { until: values.until } : {}),
    ...(values.q ? { text: values.q } : {}),
  });
}

/** Parses GET /api/audit's query: the filters, `count` and `cursor` (bound to the filters). */
export function parseAuditQuery(ctx: ProvisioningContext, query: RawQuery): Result<AuditListRequest, AdminError> {
  const filter = parseAuditFilter(query);
  if (!filter.ok) return filter;
  const page = parsePageStart(query, ctx.cursors, JSON.stringify(["audit", filter.value]));
  if (!page.ok) return page;
  return ok({ filter: filter.value, page: page.value });
}

/** A page of the audit log, newest first; `total` counts every event matching the filter. */
export async function listAuditEvents(ctx: ProvisioningContext, request: AuditListRequest): Promise<AuditListPage> {
  const { page, filter } = request;
  const result = await ctx.store.read(async (session) => {
    const total = await session.audit.count(filter);
    const found = total === 0 ? { records: [] } : await session.audit.list(filter, { count: page.count, ...(page.after ? { before: page.after.id } : {}) });
    return { total, ...found };
  });
  return { records: result.records, total: result.total, nextCursor: nextCursorOf(ctx.cursors, page, result.next === undefined ? undefined : { sortValue: null, id: result.next }) };
}

/**
 * Starts an export of the audit log (audited as `audit.exported` with the format and filters, before
 * anything is read, so the export is in its own output) and returns the matching events, newest first,
 * a page per read transaction: the log is never held in memory whole.
 */
export async function exportAuditEvents(store: Store, actor: AuditActor, format: AuditExportFormat, filter: AuditFilter, now: Date = new Date()): Promise<AsyncIterable<AuditEventRecord>> {
  const facts = { actor, action: "audit.exported", details: { format, filter: Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as JsonObject } } as const;
  await auditFailures(store, facts, () => now, () => store.write((session) => recordSuccess(session, facts, now)));
  return pagesOf(store, filter);
}

async function* pagesOf(store: Store, filter: AuditFilter): AsyncIterable<AuditEventRecord> {
  let before: string | undefined;
  for (;;) {
    const page = await store.read((session) => session.audit.list(filter, { count: exportPageSize, ...(before ? { before } : {}) }));
    yield* page.records;
    if (page.next === undefined) return;
    before = page.next;
  }
}
