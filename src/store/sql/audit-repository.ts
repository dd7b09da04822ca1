import { sql, type Kysely, type SelectQueryBuilder, type Selectable } from "kysely";
import { foldCase } from "../../scim/fold.js";
import { isJsonObject, type JsonObject } from "../../scim/json.js";
import type { AuditEventsTable, Database } from "../schema.js";
import type { AuditActorKind, AuditEventRecord, AuditFilter, AuditOutcome, AuditPage, AuditRepository } from "../store.js";
import type { SqlDialect } from "./dialect.js";

function detailsOf(text: string): JsonObject {
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function recordFromRow(row: Selectable<AuditEventsTable>): AuditEventRecord {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    actorKind: row.actor_kind as AuditActorKind,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    address: row.address,
    userAgent: row.user_agent,
    action: row.action,
    targetKind: row.target_kind,
    targetId: row.target_id,
    targetLabel: row.target_label,
    tenantId: row.tenant_id,
    tenantSlug: row.tenant_slug,
    outcome: row.outcome as AuditOutcome,
    reason: row.reason,
    details: detailsOf(row.details),
  };
}

/** The events matching a filter; every criterion is an equality or a prefix range on an indexed column. */
export function auditMatching(db: Kysely<Database>, dialect: SqlDialect, filter: AuditFilter): SelectQueryBuilder<Database, "audit_events", object> {
  const prefix = (column: string, text: string) => dialect.startsWith(sql.ref(column), text, true);
  let query = db.selectFrom("audit_events");
  if (filter.action !== undefined) query = query.where("action", "=", filter.action);
  if (filter.actionPrefix !== undefined) query = query.where(prefix("action", filter.actionPrefix));
  if (filter.outcome !== undefined) query = query.where("outcome", "=", filter.outcome);
  if (filter.actorKind !== undefined) query = query.where("actor_kind", "=", filter.actorKind);
  if (filter.actorId !== undefined) query = query.where("actor_id", "=", filter.actorId);
  if (filter.actorLabel !== undefined) query = query.where(prefix("actor_label_key", foldCase(filter.actorLabel)));
  if (filter.tenantSlug !== undefined) query = query.where("tenant_slug", "=", filter.tenantSlug);
  if (filter.since !== undefined) query = query.where("occurred_at", ">=", filter.since);
  if (filter.until !== undefined) query = query.where("occurred_at", "<", filter.until);
  if (filter.text !== undefined) {
    const text = foldCase(filter.text);
    // Three index ranges joined by OR: both databases answer it by merging the indexes (SQLite's OR optimisation, PostgreSQL's BitmapOr).
    query = query.where(sql<boolean>`(${prefix("actor_label_key", text)} or ${prefix("target_label_key", text)} or ${prefix("tenant_slug", text)})`);
  }
  return query;
}

/** The statement of one page of the log, newest first (one extra row tells whether more follow). */
export function auditPageStatement(db: Kysely<Database>, dialect: SqlDialect, filter: AuditFilter, page: { readonly before?: string; readonly count: number }) {
  const rows = auditMatching(db, dialect, filter).selectAll().orderBy("id", "desc").limit(page.count + 1);
  return page.before === undefined ? rows : rows.where("id", "<", page.before);
}

/** The admin audit log. */
export class SqlAuditRepository implements AuditRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;

  constructor(db: Kysely<Database>, dialect: SqlDialect) {
    this.db = db;
    this.dialect = dialect;
  }

  async append(event: AuditEventRecord): Promise<void> {
    await this.db
      .insertInto("audit_events")
      .values({
        id: event.id,
        occurred_at: event.occurredAt,
        actor_kind: event.actorKind,
        actor_id: event.actorId,
        actor_label: event.actorLabel,
        actor_label_key: event.actorLabel === null ? null : foldCase(event.actorLabel),
        address: event.address,
        user_agent: event.userAgent,
        action: event.action,
        target_kind: event.targetKind,
        target_id: event.targetId,
        target_label: event.targetLabel,
        target_label_key: event.targetLabel === null ? null : foldCase(event.targetLabel),
        tenant_id: event.tenantId,
        tenant_slug: event.tenantSlug,
        outcome: event.outcome,
        reason: event.reason,
        details: JSON.stringify(event.details),
      })
      .execute();
  }

  async list(filter: AuditFilter, page: { readonly before?: string; readonly count: number }): Promise<AuditPage> {
    if (page.count <= 0) return { records: [] };
    const found = await auditPageStatement(this.db, this.dialect, filter, page).execute();
    const records = found.slice(0, page.count).map(recordFromRow);
    const last = records[records.length - 1];
    return found.length > page.count && last ? { records, next: last.id } : { records };
  }

  async count(filter: AuditFilter): Promise<number> {
    const row = await auditMatching(this.db, this.dialect, filter)
      .select((eb) => eb.fn.countAll<number | bigint>().as("total"))
      .executeTakeFirstOrThrow();
    return Number(row.total);
  }

  async prune(before: string, limit: number): Promise<number> {
    // Bounded by `limit` so one prune never holds the write lock for long (SQLite has no DELETE … LIMIT by default).
    const oldest = this.db.selectFrom("audit_events").select("id").where("occurred_at", "<", before).orderBy("occurred_at").limit(limit);
    const result = await this.db.deleteFrom("audit_events").where("id", "in", oldest).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
