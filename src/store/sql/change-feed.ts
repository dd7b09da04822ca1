import { sql, type Kysely, type RawBuilder } from "kysely";
import type { JsonObject } from "../../scim/json.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { Database } from "../schema.js";
import type { ChangeAction, ChangeFeedRepository, ChangeRecord, FeedPosition } from "../store.js";
import type { SqlDialect } from "./dialect.js";

interface ChangeRow {
  seq: number | string;
  txid: number | string;
  tenant_id: string;
  at: string;
  resource_type: string;
  resource_id: string;
  action: string;
  member_id: string | null;
  member_type: string | null;
  changed: unknown;
  document: unknown;
}

/** A JSON column as read: text on SQLite, already parsed by the driver on PostgreSQL (jsonb). */
function readJson(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

function recordOf(row: ChangeRow): ChangeRecord {
  const changed = row.changed === null ? undefined : (readJson(row.changed) as string[]);
  const document = row.document === null ? undefined : (readJson(row.document) as JsonObject);
  return {
    position: { txid: String(row.txid), seq: String(row.seq) },
    tenantId: row.tenant_id,
    at: row.at,
    resourceType: row.resource_type as ResourceTypeName,
    resourceId: row.resource_id,
    action: row.action as ChangeAction,
    ...(row.member_id === null ? {} : { member: { value: row.member_id, type: row.member_type as ResourceTypeName } }),
    ...(changed === undefined ? {} : { changed }),
    ...(document === undefined ? {} : { document }),
  };
}

/** The checkpoint row that records where pruning got to (no consumer is named with an @). */
export const prunedConsumer = "@pruned";

/** Decimal text of a non-negative integer, as positions must be (they come from API cursors and checkpoints). */
function checkedInteger(text: string, what: string): string {
  if (!/^(0|[1-9][0-9]{0,18})$/.test(text)) throw new RangeError(`${what} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return text;
}

/**
 * The change feed of migration 0010 and its consumers' checkpoints. Reads go by the (tenant_id, txid,
 * seq) index; on PostgreSQL they stop below the horizon of transactions that may still commit.
 */
export class SqlChangeFeed implements ChangeFeedRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: SqlDialect;

  constructor(db: Kysely<Database>, dialect: SqlDialect) {
    this.db = db;
    this.dialect = dialect;
  }

  /** A bigint parameter: PostgreSQL takes the text, SQLite a number (its integers compare with numbers, not text). */
  private integer(text: string, what: string): RawBuilder<unknown> {
    const checked = checkedInteger(text, what);
    return this.dialect.name === "sqlite" ? sql`${Number(checked)}` : sql`${checked}::bigint`;
  }

  /**
   * Only changes of transactions that have ended. PostgreSQL hands out transaction ids in order and
   * every transaction below the snapshot's xmin has ended, so a change still to commit has a txid at or
   * above it and sorts after everything read now. SQLite: every change a statement sees has committed.
   */
  private readable(): RawBuilder<unknown> {
    return this.dialect.name === "postgres" ? sql`and txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint` : sql``;
  }

  async read(tenantId: string, after: FeedPosition | undefined, limit: number): Promise<ChangeRecord[]> {
    const from = after === undefined ? sql`` : sql`and (txid, seq) > (${this.integer(after.txid, "txid")}, ${this.integer(after.seq, "seq")})`;
    const result = await sql<ChangeRow>`select seq, txid, tenant_id, at, resource_type, resource_id, action, member_id, member_type, changed, document
      from changes where tenant_id = ${tenantId} ${from} ${this.readable()}
      order by txid, seq limit ${Math.max(1, Math.floor(limit))}`.execute(this.db);
    return result.rows.map(recordOf);
  }

  async head(tenantId: string): Promise<FeedPosition | undefined> {
    const result = await sql<{ txid: number | string; seq: number | string }>`select txid, seq from changes
      where tenant_id = ${tenantId} ${this.readable()} order by txid desc, seq desc limit 1`.execute(this.db);
    const row = result.rows[0];
    return row && { txid: String(row.txid), seq: String(row.seq) };
  }

  async oldest(tenantId: string): Promise<FeedPosition | undefined> {
    const result = await sql<{ txid: number | string; seq: number | string }>`select txid, seq from changes
      where tenant_id = ${tenantId} order by txid, seq limit 1`.execute(this.db);
    const row = result.rows[0];
    return row && { txid: String(row.txid), seq: String(row.seq) };
  }

  async countAfter(tenantId: string, after: FeedPosition | undefined, cap: number): Promise<number> {
    const from = after === undefined ? sql`` : sql`and (txid, seq) > (${this.integer(after.txid, "txid")}, ${this.integer(after.seq, "seq")})`;
    // The LIMIT inside bounds the count: a backlog of millions reads `cap` entries of the index, not millions.
    const result = await sql<{ n: number | string }>`select count(*) as n from (select 1 from changes
      where tenant_id = ${tenantId} ${from} ${this.readable()} order by txid, seq limit ${Math.max(0, Math.floor(cap))}) as backlog`.execute(this.db);
    return Number(result.rows[0]?.n ?? 0);
  }

  async prune(tenantId: string, before: string, limit: number): Promise<number> {
    // The oldest changes in feed order (the feed's own index), as far as they are older than `before`.
    const oldest = await sql<{ txid: number | string; seq: number | string; at: string }>`select txid, seq, at from changes
      where tenant_id = ${tenantId} order by txid, seq limit ${Math.max(1, Math.floor(limit))}`.execute(this.db);
    const expired: { txid: number | string; seq: number | string }[] = [];
    for (const row of oldest.rows) {
      if (row.at >= before) break;
      expired.push(row);
    }
    const last = expired.at(-1);
    if (!last) return 0;
    // They are the start of the tenant's feed, so "up to the last of them" deletes exactly them.
    await sql`delete from changes where tenant_id = ${tenantId} and (txid, seq) <= (${this.integer(String(last.txid), "txid")}, ${this.integer(String(last.seq), "seq")})`.execute(this.db);
    await this.saveCheckpoint(tenantId, prunedConsumer, { txid: String(last.txid), seq: String(last.seq) }, before);
    return expired.length;
  }

  pruned(tenantId: string): Promise<FeedPosition | undefined> {
    return this.checkpoint(tenantId, prunedConsumer);
  }

  async checkpoint(tenantId: string, consumer: string): Promise<FeedPosition | undefined> {
    const row = await this.db
      .selectFrom("feed_checkpoints")
      .select(["txid", "seq"])
      .where("tenant_id", "=", tenantId)
      .where("consumer", "=", consumer)
      .executeTakeFirst();
    return row && { txid: String(row.txid), seq: String(row.seq) };
  }

  async saveCheckpoint(tenantId: string, consumer: string, position: FeedPosition, at: string): Promise<void> {
    const txid = checkedInteger(position.txid, "txid");
    const seq = checkedInteger(position.seq, "seq");
    const values = this.dialect.name === "sqlite" ? { txid: Number(txid), seq: Number(seq) } : { txid, seq };
    await this.db
      .insertInto("feed_checkpoints")
      .values({ tenant_id: tenantId, consumer, ...values, updated_at: at })
      .onConflict((conflict) => conflict.columns(["tenant_id", "consumer"]).doUpdateSet({ ...values, updated_at: at }))
      .execute();
  }

  async deleteCheckpoint(tenantId: string, consumer: string): Promise<boolean> {
    const result = await this.db.deleteFrom("feed_checkpoints").where("tenant_id", "=", tenantId).where("consumer", "=", consumer).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
