import { sql, type Kysely, type SqlBool } from "kysely";
import type { Database } from "../schema.js";
import type { TransferRepository, TransferRow, TransferValue } from "../store.js";
import type { SqlDialect } from "./dialect.js";
import { transferTable, transferTables, type ColumnKind, type TransferTable } from "./transfer-tables.js";

// One INSERT carries at most this many rows, whatever the batch: big statements gain nothing more.
const rowsPerStatement = 1000;

/** A stored value as the portable TransferValue of its column kind. */
export function readTransferValue(kind: ColumnKind, raw: unknown, dialect: SqlDialect): TransferValue {
  if (raw === null || raw === undefined) return null;
  switch (kind) {
    case "boolean":
      return dialect.readBoolean(raw);
    case "integer":
    case "real":
      // Drivers may hand back 64-bit integers as bigint or text.
      return Number(raw);
    case "json":
      // A driver that parses JSON columns (pg with jsonb) gives objects; the copy carries the text.
      return typeof raw === "string" ? raw : JSON.stringify(raw);
    case "text":
      return String(raw);
  }
}

/** A portable value as a bound parameter for a column of this kind. */
export function writeTransferValue(kind: ColumnKind, value: TransferValue, dialect: SqlDialect): unknown {
  if (value === null) return null;
  if (kind === "boolean") return dialect.booleanParameter(value === true);
  // Documents are stored as JSON.stringify writes them (SQLite sends that text as it is, render-stored.ts);
  // PostgreSQL's jsonb text has spaces after its separators.
  if (kind === "json" && typeof value === "string") return JSON.stringify(JSON.parse(value));
  return value;
}

function keyAfter(table: TransferTable, after: TransferRow): ReturnType<typeof sql<SqlBool>> {
  const columns = sql.join(table.key.map((column) => sql.ref(column)));
  const values = sql.join(table.key.map((column) => after[column] ?? null));
  return sql<SqlBool>`(${columns}) > (${values})`;
}

/** Reads and writes whole tables of the transfer catalog (transfer-tables.ts) in primary-key order. */
export class SqlTransferRepository implements TransferRepository {
  // Table names come from the catalog at run time, which the typed builder cannot follow.
  private readonly db: Kysely<any>;
  private readonly dialect: SqlDialect;

  constructor(db: Kysely<Database>, dialect: SqlDialect) {
    this.db = db as unknown as Kysely<any>;
    this.dialect = dialect;
  }

  tables(): readonly string[] {
    return transferTables.map((table) => table.name);
  }

  async count(name: string): Promise<number> {
    const table = transferTable(name);
    const row = await this.db.selectFrom(table.name).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async readBatch(name: string, after: TransferRow | undefined, limit: number): Promise<TransferRow[]> {
    const table = transferTable(name);
    const columns = Object.entries(table.columns);
    // Ordered by the primary key and resumed with a row-value comparison, so every batch is one index range.
    let query = this.db.selectFrom(table.name).select(columns.map(([column]) => column));
    if (after) query = query.where(keyAfter(table, after));
    for (const column of table.key) query = query.orderBy(column);
    const rows: Record<string, unknown>[] = await query.limit(limit).execute();
    return rows.map((row) => Object.fromEntries(columns.map(([column, kind]) => [column, readTransferValue(kind, row[column], this.dialect)])));
  }

  async insertBatch(name: string, rows: readonly TransferRow[]): Promise<void> {
    const table = transferTable(name);
    const columns = Object.entries(table.columns);
    const perStatement = Math.max(1, Math.min(rowsPerStatement, Math.floor(this.dialect.maxParameters / columns.length)));
    for (let start = 0; start < rows.length; start += perStatement) {
      const values = rows
        .slice(start, start + perStatement)
        .map((row) => Object.fromEntries(columns.map(([column, kind]) => [column, writeTransferValue(kind, row[column] ?? null, this.dialect)])));
      await this.db.insertInto(table.name).values(values).execute();
    }
  }
}
