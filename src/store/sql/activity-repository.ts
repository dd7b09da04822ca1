import { sql, type Kysely, type Selectable } from "kysely";
import type { ActivityTable, Database } from "../schema.js";
import type { ActivityFilter, ActivityOutcome, ActivityPage, ActivityRecord, ActivityRepository, ActivityResource } from "../store.js";
import type { SqlDialect } from "./dialect.js";

function recordFromRow(row: Selectable<ActivityTable>): ActivityRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    at: row.at,
    tokenId: row.token_id,
    clientName: row.client_name,
    method: row.method,
    path: row.path,
    resource: row.resource as ActivityResource,
    status: Number(row.status),
    outcome: row.outcome as ActivityOutcome,
    errorCode: row.error_code,
    errorDetail: row.error_detail,
    durationMs: Number(row.duration_ms),
    requestId: row.request_id,
  };
}

/** The statements of one Activity page: the count of matching entries, and the page (one extra row tells whether more follow). */
export function activityStatements(db: Kysely<Database>, tenantId: string, filter: ActivityFilter, page: { readonly before?: string; readonly count: number }) {
  let matching = db.selectFrom("activity").where("tenant_id", "=", tenantId);
  if (filter.outcome !== undefined) matching = matching.where("outcome", "=", filter.outcome);
  if (filter.tokenId !== undefined) matching = matching.where("token_id", "=", filter.tokenId);
  if (filter.resource !== undefined) matching = matching.where("resource", "=", filter.resource);
  const rows = matching.selectAll().orderBy("id", "desc").limit(page.count + 1);
  return {
    count: matching.select((eb) => eb.fn.countAll<number | bigint>().as("total")),
    rows: page.before === undefined ? rows : rows.where("id", "<", page.before),
  };
}

/** Entries per INSERT when activity is written (about a millisecond of SQLite work each). */
const activityInsertChunk = 100;

/** The SCIM request log; every statement is bounded by tenant_id and reads an index that starts with it. */
export class SqlActivityRepository implements ActivityRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;

  constructor(db: Kysely<Database>, dialect: SqlDialect) {
    this.db = db;
    this.dialect = dialect;
  }

  async append(entries: readonly ActivityRecord[]): Promise<number> {
    if (entries.length === 0) return 0;
    const tenantIds = [...new Set(entries.map((entry) => entry.tenantId))];
    const existing = await this.db.selectFrom("tenants").select("id").where(this.dialect.inList(sql.ref("id"), tenantIds)).execute();
    const kept = new Set(existing.map((row) => row.id));
    const rows = entries
      .filter((entry) => kept.has(entry.tenantId))
      .map((entry) => ({
        tenant_id: entry.tenantId,
        id: entry.id,
        at: entry.at,
        token_id: entry.tokenId,
        client_name: entry.clientName,
        method: entry.method,
        path: entry.path,
        resource: entry.resource,
        status: entry.status,
        outcome: entry.outcome,
        error_code: entry.errorCode,
        error_detail: entry.errorDetail,
        duration_ms: entry.durationMs,
        request_id: entry.requestId,
      }));
    // Fourteen parameters a row; chunks keep each statement inside the dialect's parameter limit.
    const chunk = Math.max(1, Math.min(activityInsertChunk, Math.floor(this.dialect.maxParameters / 14)));
    for (let start = 0; start < rows.length; start += chunk) {
      // A retried batch may repeat entries already written; the key makes that harmless.
      await this.db
        .insertInto("activity")
        .values(rows.slice(start, start + chunk))
        .onConflict((conflict) => conflict.columns(["tenant_id", "id"]).doNothing())
        .execute();
    }
    return rows.length;
  }

  async list(tenantId: string, filter: ActivityFilter, page: { readonly before?: string; readonly count: number }): Promise<ActivityPage> {
    const statements = activityStatements(this.db, tenantId, filter, page);
    const total = Number((await statements.count.executeTakeFirstOrThrow()).total);
    if (total === 0 || page.count <= 0) return { records: [], total };
    const found = await statements.rows.execute();
    const records = found.slice(0, page.count).map(recordFromRow);
    const last = records[records.length - 1];
    return found.length > page.count && last ? { records, total, next: last.id } : { records, total };
  }

  async countSince(tenantId: string, since: string): Promise<{ requests: number; failures: number }> {
    const row = await this.db
      .selectFrom("activity")
      .select((eb) => [eb.fn.countAll<number | bigint>().as("requests"), eb.fn.sum<number | bigint | null>(sql`case when outcome = 'failure' then 1 else 0 end`).as("failures")])
      .where("tenant_id", "=", tenantId)
      .where("at", ">=", since)
      .executeTakeFirstOrThrow();
    return { requests: Number(row.requests), failures: Number(row.failures ?? 0) };
  }

  async prune(tenantId: string, before: string, limit: number): Promise<number> {
    // Bounded by `limit` so one prune never holds the write lock for long (SQLite has no DELETE … LIMIT by default).
    const oldest = this.db.selectFrom("activity").select("id").where("tenant_id", "=", tenantId).where("at", "<", before).orderBy("at").limit(limit);
    const result = await this.db.deleteFrom("activity").where("tenant_id", "=", tenantId).where("id", "in", oldest).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
