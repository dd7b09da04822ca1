import { sql, type Kysely, type Selectable } from "kysely";
import { scimError } from "../../scim/errors.js";
import { isJsonObject, type JsonObject } from "../../scim/json.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type {
  AppChanges,
  AppLinkRecord,
  AppLogAction,
  AppLogFilter,
  AppLogRecord,
  AppLogStatus,
  AppProvisioning,
  AppRecord,
  LinkOrigin,
  LinkStatus,
  OutboundRepository,
  StagedActionRecord,
} from "../outbound.js";
import type { AppLinksTable, AppLogTable, AppsTable, Database } from "../schema.js";
import type { SqlDialect } from "./dialect.js";

/** A JSON column as read: text on SQLite, parsed by the driver on PostgreSQL (jsonb). */
function objectOf(value: unknown): JsonObject {
  const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
  return isJsonObject(parsed) ? parsed : {};
}

function appOf(row: Selectable<AppsTable>): AppRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    name: row.name,
    baseUrl: row.base_url,
    tokenCiphertext: row.token_ciphertext,
    tokenHint: row.token_hint,
    settings: objectOf(row.settings),
    provisioning: row.provisioning as AppProvisioning,
    state: objectOf(row.state),
    created: row.created_at,
    updated: row.updated_at,
    version: Number(row.version),
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
  };
}

function linkOf(row: Selectable<AppLinksTable>): AppLinkRecord {
  return {
    tenantId: row.tenant_id,
    appId: row.app_id,
    resourceType: row.resource_type as ResourceTypeName,
    sourceId: row.source_id,
    targetId: row.target_id,
    origin: row.origin as LinkOrigin | null,
    status: row.status as LinkStatus,
    written: row.written === null ? null : objectOf(row.written),
    writtenHash: row.written_hash,
    lastError: row.last_error,
    attempts: Number(row.attempts),
    nextRetryAt: row.next_retry_at,
    updated: row.updated_at,
  };
}

function logOf(row: Selectable<AppLogTable>): AppLogRecord {
  return {
    tenantId: row.tenant_id,
    appId: row.app_id,
    id: row.id,
    at: row.at,
    cycle: row.cycle,
    resourceType: row.resource_type as ResourceTypeName,
    sourceId: row.source_id,
    targetId: row.target_id,
    action: row.action as AppLogAction,
    status: row.status as AppLogStatus,
    details: objectOf(row.details),
    error: row.error,
    fix: row.fix,
  };
}

/** Rows per INSERT, well under both databases' limits on bound parameters. */
const insertChunk = 200;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Outbound apps and the engine's per-app rows (migration 0011); every statement reads an index that starts with the app (or tenant). */
export class SqlOutboundRepository implements OutboundRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;
  private readonly lockRows: boolean;

  constructor(db: Kysely<Database>, dialect: SqlDialect, lockRows = false) {
    this.db = db;
    this.dialect = dialect;
    this.lockRows = lockRows;
  }

  async createApp(app: Omit<AppRecord, "version" | "leaseOwner" | "leaseUntil">): Promise<AppRecord> {
    await this.db
      .insertInto("apps")
      .values({
        tenant_id: app.tenantId,
        id: app.id,
        name: app.name,
        base_url: app.baseUrl,
        token_ciphertext: app.tokenCiphertext,
        token_hint: app.tokenHint,
        settings: JSON.stringify(app.settings),
        provisioning: app.provisioning,
        state: JSON.stringify(app.state),
        created_at: app.created,
        updated_at: app.updated,
        version: 1,
        lease_owner: null,
        lease_until: null,
      })
      .execute();
    return { ...app, version: 1, leaseOwner: null, leaseUntil: null };
  }

  async getApp(tenantId: string, id: string): Promise<AppRecord | undefined> {
    let query = this.db.selectFrom("apps").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id);
    if (this.lockRows) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row && appOf(row);
  }

  async listApps(tenantId: string): Promise<AppRecord[]> {
    const rows = await this.db.selectFrom("apps").selectAll().where("tenant_id", "=", tenantId).orderBy("created_at").orderBy("id").execute();
    return rows.map(appOf);
  }

  async listActiveApps(): Promise<AppRecord[]> {
    const rows = await this.db.selectFrom("apps").selectAll().where("provisioning", "=", "on").orderBy("id").execute();
    return rows.map(appOf);
  }

  async updateApp(tenantId: string, id: string, changes: AppChanges, at: string, expectedVersion?: number): Promise<AppRecord | undefined> {
    const current = await this.getApp(tenantId, id);
    if (!current) return undefined;
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw scimError("preconditionFailed", `The app changed meanwhile (version ${current.version}, not ${expectedVersion}); read it again.`);
    }
    const next: AppRecord = { ...current, ...changes, updated: at, version: current.version + 1 };
    await this.db
      .updateTable("apps")
      .set({
        name: next.name,
        base_url: next.baseUrl,
        token_ciphertext: next.tokenCiphertext,
        token_hint: next.tokenHint,
        settings: JSON.stringify(next.settings),
        provisioning: next.provisioning,
        updated_at: at,
        version: next.version,
      })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .where("version", "=", current.version)
      .execute();
    return next;
  }

  async saveAppState(tenantId: string, id: string, state: JsonObject, expectedVersion?: number): Promise<boolean> {
    let query = this.db.updateTable("apps").set({ state: JSON.stringify(state) }).where("tenant_id", "=", tenantId).where("id", "=", id);
    if (expectedVersion !== undefined) query = query.where("version", "=", expectedVersion);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteApp(tenantId: string, id: string): Promise<boolean> {
    // Children by their app-leading keys first (the cascades would do it too, row by row).
    for (const table of ["app_log", "app_staged", "app_memberships", "app_links"] as const) {
      await this.db.deleteFrom(table).where("app_id", "=", id).where("tenant_id", "=", tenantId).execute();
    }
    const result = await this.db.deleteFrom("apps").where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async acquireLease(tenantId: string, id: string, owner: string, now: string, until: string): Promise<boolean> {
    const result = await this.db
      .updateTable("apps")
      .set({ lease_owner: owner, lease_until: until })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .where((eb) => eb.or([eb("lease_owner", "is", null), eb("lease_owner", "=", owner), eb("lease_until", "<=", now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async releaseLease(tenantId: string, id: string, owner: string): Promise<void> {
    await this.db.updateTable("apps").set({ lease_owner: null, lease_until: null }).where("tenant_id", "=", tenantId).where("id", "=", id).where("lease_owner", "=", owner).execute();
  }

  async getLink(appId: string, type: ResourceTypeName, sourceId: string): Promise<AppLinkRecord | undefined> {
    const row = await this.db.selectFrom("app_links").selectAll().where("app_id", "=", appId).where("resource_type", "=", type).where("source_id", "=", sourceId).executeTakeFirst();
    return row && linkOf(row);
  }

  async getLinks(appId: string, type: ResourceTypeName, sourceIds: readonly string[]): Promise<Map<string, AppLinkRecord>> {
    const found = new Map<string, AppLinkRecord>();
    if (sourceIds.length === 0) return found;
    const rows = await this.db
      .selectFrom("app_links")
      .selectAll()
      .where("app_id", "=", appId)
      .where("resource_type", "=", type)
      .where(this.dialect.inList(sql.ref("source_id"), [...new Set(sourceIds)]))
      .execute();
    for (const row of rows) found.set(row.source_id, linkOf(row));
    return found;
  }

  async linkOfTarget(appId: string, type: ResourceTypeName, targetId: string): Promise<AppLinkRecord | undefined> {
    const row = await this.db.selectFrom("app_links").selectAll().where("app_id", "=", appId).where("resource_type", "=", type).where("target_id", "=", targetId).orderBy("source_id").limit(1).executeTakeFirst();
    return row && linkOf(row);
  }

  async putLink(link: AppLinkRecord): Promise<void> {
    const values = {
      tenant_id: link.tenantId,
      app_id: link.appId,
      resource_type: link.resourceType,
      source_id: link.sourceId,
      target_id: link.targetId,
      origin: link.origin,
      status: link.status,
      written: link.written === null ? null : JSON.stringify(link.written),
      written_hash: link.writtenHash,
      last_error: link.lastError,
      attempts: link.attempts,
      next_retry_at: link.nextRetryAt,
      updated_at: link.updated,
    };
    const { tenant_id: _tenant, app_id: _app, resource_type: _type, source_id: _source, ...changes } = values;
    await this.db
      .insertInto("app_links")
      .values(values)
      .onConflict((conflict) => conflict.columns(["app_id", "resource_type", "source_id"]).doUpdateSet(changes))
      .execute();
  }

  async deleteLink(appId: string, type: ResourceTypeName, sourceId: string): Promise<boolean> {
    const result = await this.db.deleteFrom("app_links").where("app_id", "=", appId).where("resource_type", "=", type).where("source_id", "=", sourceId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async dueLinks(appId: string, now: string, limit: number): Promise<AppLinkRecord[]> {
    const rows = await this.db
      .selectFrom("app_links")
      .selectAll()
      .where("app_id", "=", appId)
      .where("next_retry_at", "is not", null)
      .where("next_retry_at", "<=", now)
      .orderBy("next_retry_at")
      .limit(limit)
      .execute();
    return rows.map(linkOf);
  }

  async pageLinks(appId: string, type: ResourceTypeName, after: string | undefined, limit: number): Promise<AppLinkRecord[]> {
    let query = this.db.selectFrom("app_links").selectAll().where("app_id", "=", appId).where("resource_type", "=", type);
    if (after !== undefined) query = query.where("source_id", ">", after);
    const rows = await query.orderBy("source_id").limit(limit).execute();
    return rows.map(linkOf);
  }

  async linkCounts(appId: string): Promise<{ resourceType: ResourceTypeName; status: LinkStatus; count: number }[]> {
    const rows = await this.db
      .selectFrom("app_links")
      .select(["resource_type", "status", (eb) => eb.fn.countAll<number | string>().as("n")])
      .where("app_id", "=", appId)
      .groupBy(["resource_type", "status"])
      .orderBy("resource_type")
      .orderBy("status")
      .execute();
    return rows.map((row) => ({ resourceType: row.resource_type as ResourceTypeName, status: row.status as LinkStatus, count: Number(row.n) }));
  }

  async pageMemberships(appId: string, groupId: string, after: string | undefined, limit: number): Promise<string[]> {
    let query = this.db.selectFrom("app_memberships").select("member_id").where("app_id", "=", appId).where("group_id", "=", groupId);
    if (after !== undefined) query = query.where("member_id", ">", after);
    const rows = await query.orderBy("member_id").limit(limit).execute();
    return rows.map((row) => row.member_id);
  }

  async hasMemberships(appId: string, groupId: string, memberIds: readonly string[]): Promise<Set<string>> {
    if (memberIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom("app_memberships")
      .select("member_id")
      .where("app_id", "=", appId)
      .where("group_id", "=", groupId)
      .where(this.dialect.inList(sql.ref("member_id"), [...new Set(memberIds)]))
      .execute();
    return new Set(rows.map((row) => row.member_id));
  }

  async groupsOfMember(appId: string, memberId: string): Promise<string[]> {
    const rows = await this.db.selectFrom("app_memberships").select("group_id").where("app_id", "=", appId).where("member_id", "=", memberId).orderBy("group_id").execute();
    return rows.map((row) => row.group_id);
  }

  async addMemberships(tenantId: string, appId: string, groupId: string, memberIds: readonly string[]): Promise<void> {
    for (const chunk of chunks([...new Set(memberIds)], insertChunk)) {
      await this.db
        .insertInto("app_memberships")
        .values(chunk.map((memberId) => ({ tenant_id: tenantId, app_id: appId, group_id: groupId, member_id: memberId })))
        .onConflict((conflict) => conflict.columns(["app_id", "group_id", "member_id"]).doNothing())
        .execute();
    }
  }

  async removeMemberships(appId: string, groupId: string, memberIds: readonly string[]): Promise<void> {
    if (memberIds.length === 0) return;
    await this.db
      .deleteFrom("app_memberships")
      .where("app_id", "=", appId)
      .where("group_id", "=", groupId)
      .where(this.dialect.inList(sql.ref("member_id"), [...new Set(memberIds)]))
      .execute();
  }

  async clearMemberships(appId: string, groupId: string): Promise<void> {
    await this.db.deleteFrom("app_memberships").where("app_id", "=", appId).where("group_id", "=", groupId).execute();
  }

  async forgetMember(appId: string, memberId: string): Promise<void> {
    await this.db.deleteFrom("app_memberships").where("app_id", "=", appId).where("member_id", "=", memberId).execute();
  }

  async appendLog(entries: readonly AppLogRecord[]): Promise<void> {
    for (const chunk of chunks(entries, insertChunk)) {
      await this.db
        .insertInto("app_log")
        .values(
          chunk.map((entry) => ({
            tenant_id: entry.tenantId,
            app_id: entry.appId,
            id: entry.id,
            at: entry.at,
            cycle: entry.cycle,
            resource_type: entry.resourceType,
            source_id: entry.sourceId,
            target_id: entry.targetId,
            action: entry.action,
            status: entry.status,
            details: JSON.stringify(entry.details),
            error: entry.error,
            fix: entry.fix,
          })),
        )
        .execute();
    }
  }

  async listLog(appId: string, filter: AppLogFilter, page: { readonly before?: string; readonly count: number }): Promise<{ records: AppLogRecord[]; next?: string }> {
    let query = this.db.selectFrom("app_log").selectAll().where("app_id", "=", appId);
    if (filter.action !== undefined) query = query.where("action", "=", filter.action);
    if (filter.status !== undefined) query = query.where("status", "=", filter.status);
    if (filter.sourceId !== undefined) query = query.where("source_id", "=", filter.sourceId);
    if (filter.since !== undefined) query = query.where("at", ">=", filter.since);
    if (filter.until !== undefined) query = query.where("at", "<", filter.until);
    if (page.before !== undefined) query = query.where("id", "<", page.before);
    const rows = await query.orderBy("id", "desc").limit(page.count + 1).execute();
    const records = rows.slice(0, page.count).map(logOf);
    return rows.length > page.count ? { records, next: records.at(-1)!.id } : { records };
  }

  async logTotals(appId: string, since: string): Promise<{ day: string; status: AppLogStatus; count: number }[]> {
    const day = sql<string>`substr(at, 1, 10)`;
    const rows = await this.db
      .selectFrom("app_log")
      .select([day.as("day"), "status", (eb) => eb.fn.countAll<number | string>().as("n")])
      .where("app_id", "=", appId)
      .where("at", ">=", since)
      .groupBy([day, "status"])
      .orderBy(day)
      .orderBy("status")
      .execute();
    return rows.map((row) => ({ day: row.day, status: row.status as AppLogStatus, count: Number(row.n) }));
  }

  async pruneLog(appId: string, before: string, limit: number): Promise<number> {
    // Bounded by `limit` so one prune never holds the write lock for long.
    const oldest = this.db.selectFrom("app_log").select("id").where("app_id", "=", appId).where("at", "<", before).orderBy("at").limit(limit);
    const result = await this.db.deleteFrom("app_log").where("app_id", "=", appId).where("id", "in", oldest).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async stage(actions: readonly StagedActionRecord[]): Promise<void> {
    for (const chunk of chunks(actions, insertChunk)) {
      await this.db
        .insertInto("app_staged")
        .values(
          chunk.map((action) => ({
            tenant_id: action.tenantId,
            app_id: action.appId,
            id: action.id,
            resource_type: action.resourceType,
            source_id: action.sourceId,
            action: action.action,
            reason: action.reason,
            created_at: action.created,
          })),
        )
        .execute();
    }
  }

  async listStaged(appId: string, page: { readonly after?: string; readonly count: number }): Promise<StagedActionRecord[]> {
    let query = this.db.selectFrom("app_staged").selectAll().where("app_id", "=", appId);
    if (page.after !== undefined) query = query.where("id", ">", page.after);
    const rows = await query.orderBy("id").limit(page.count).execute();
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      appId: row.app_id,
      id: row.id,
      resourceType: row.resource_type as ResourceTypeName,
      sourceId: row.source_id,
      action: row.action as "disable" | "delete",
      reason: row.reason,
      created: row.created_at,
    }));
  }

  async countStaged(appId: string): Promise<number> {
    const row = await this.db.selectFrom("app_staged").select((eb) => eb.fn.countAll<number | string>().as("n")).where("app_id", "=", appId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async unstage(appId: string, ids?: readonly string[]): Promise<number> {
    let query = this.db.deleteFrom("app_staged").where("app_id", "=", appId);
    if (ids !== undefined) {
      if (ids.length === 0) return 0;
      query = query.where(this.dialect.inList(sql.ref("id"), [...ids]));
    }
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
