import type { AdminError } from "../../admin/admin-error.js";
import { adminError } from "../../admin/admin-error.js";
import { oneOfParameter, optionalParameter, type RawQuery } from "../../admin/paging.js";
import { fail, ok, type Result } from "../../scim/result.js";
import type { AppLogAction, AppLogFilter, AppLogRecord, AppLogStatus } from "../../store/outbound.js";
import type { Store } from "../../store/store.js";
import { readTenantApp } from "./app-access.js";

/** The actions a provisioning log entry can have. */
export const appLogActions: readonly AppLogAction[] = ["create", "update", "adopt", "disable", "delete", "members", "skip", "stage"];
/** The statuses a provisioning log entry can have. */
export const appLogStatuses: readonly AppLogStatus[] = ["success", "failure", "skipped", "staged"];

/** Entries read per transaction while exporting. */
const exportPageSize = 500;

function time(query: RawQuery, name: string): Result<string | undefined, AdminError> {
  const value = optionalParameter(query, name);
  if (!value.ok) return value;
  const text = value.value?.trim() ?? "";
  if (text === "") return ok(undefined);
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(parsed)) return fail(adminError("invalid", `${name} must be an ISO 8601 date or time, e.g. 2026-03-01T00:00:00Z.`, { field: name }));
  return ok(new Date(parsed).toISOString());
}

/** Parses the filters of a provisioning log query (shared/admin-api.ts AppLogQuery): action, status, sourceId, since, until. */
export function parseAppLogFilter(query: RawQuery): Result<AppLogFilter, AdminError> {
  const action = oneOfParameter(query, "action", appLogActions);
  if (!action.ok) return action;
  const status = oneOfParameter(query, "status", appLogStatuses);
  if (!status.ok) return status;
  const source = optionalParameter(query, "sourceId");
  if (!source.ok) return source;
  const sourceId = source.value?.trim() ?? "";
  if (sourceId.length > 255) return fail(adminError("invalid", "sourceId must be at most 255 characters.", { field: "sourceId" }));
  const since = time(query, "since");
  if (!since.ok) return since;
  const until = time(query, "until");
  if (!until.ok) return until;
  return ok({
    ...(action.value ? { action: action.value } : {}),
    ...(status.value ? { status: status.value } : {}),
    ...(sourceId !== "" ? { sourceId } : {}),
    ...(since.value ? { since: since.value } : {}),
    ...(until.value ? { until: until.value } : {}),
  });
}

/** A page of an app's provisioning log, newest first, after the entry `before`; `next` is the last entry's id when more follow. */
export async function listAppLog(store: Store, slug: string, appId: string, filter: AppLogFilter, page: { readonly before?: string; readonly count: number }): Promise<{ records: AppLogRecord[]; next?: string }> {
  return store.read(async (session) => {
    const { app } = await readTenantApp(session, slug, appId);
    return session.outbound.listLog(app.id, filter, page);
  });
}

/**
 * Every matching entry of an app's provisioning log, newest first, a page per read transaction (a long
 * log is never held in memory). Checks the app exists before the first entry is read.
 */
export async function exportAppLog(store: Store, slug: string, appId: string, filter: AppLogFilter): Promise<AsyncIterable<AppLogRecord>> {
  const { app } = await store.read((session) => readTenantApp(session, slug, appId));
  return pagesOf(store, app.id, filter);
}

async function* pagesOf(store: Store, appId: string, filter: AppLogFilter): AsyncIterable<AppLogRecord> {
  let before: string | undefined;
  for (;;) {
    const page = await store.read((session) => session.outbound.listLog(appId, filter, { count: exportPageSize, ...(before ? { before } : {}) }));
    yield* page.records;
    if (page.next === undefined) return;
    before = page.next;
  }
}
