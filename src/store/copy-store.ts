import type { Store, StoreSession, TransferRow } from "./store.js";

/** Rows of one table on both sides once a copy has finished. */
export interface TableCount {
  readonly table: string;
  readonly source: number;
  readonly target: number;
}

/** Where a copy stands after a batch. */
export interface CopyProgress {
  readonly table: string;
  /** Rows of this table copied so far, and in all. */
  readonly tableRows: number;
  readonly tableTotal: number;
  /** Rows of every table copied so far, and in all. */
  readonly rows: number;
  readonly total: number;
}

/** How to copy. */
export interface CopyOptions {
  /** Rows read and written at a time; only this many rows are held in memory. */
  readonly batchSize: number;
  /** Called after every batch. */
  readonly onProgress?: (progress: CopyProgress) => void;
  /** Called when a table is complete, with its row count. */
  readonly onTable?: (table: string, rows: number) => void;
}

/** Thrown when a copy cannot start (schema versions differ, the target holds data) or a table fails; the target keeps nothing. */
export class CopyError extends Error {
  override readonly name = "CopyError";
}

async function countAll(session: StoreSession, tables: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of tables) counts.set(table, await session.transfer.count(table));
  return counts;
}

/**
 * Copies every table of an installation from `source` into the empty `target` (both at this build's
 * schema), batch by batch in primary-key order. The source is read from one snapshot, so a server
 * still writing to it cannot tear the copy; the target is written in one transaction, so a failed copy
 * leaves it empty. Returns each table's row count on both sides, counted afterwards for verification.
 */
export async function copyStore(source: Store, target: Store, options: CopyOptions): Promise<TableCount[]> {
  await requireSameSchema(source, target);
  const batchSize = Math.max(1, Math.floor(options.batchSize));
  const { tables, sourceCounts } = await source.read(async (from) => {
    const tables = from.transfer.tables();
    const counts = await countAll(from, tables);
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    await target.write(async (to) => {
      await requireEmpty(to, tables);
      let rows = 0;
      for (const table of tables) {
        const tableTotal = counts.get(table) ?? 0;
        let tableRows = 0;
        let after: TransferRow | undefined;
        for (;;) {
          const batch = await from.transfer.readBatch(table, after, batchSize);
          if (batch.length === 0) break;
          await insertOrExplain(to, table, batch, tableRows);
          tableRows += batch.length;
          rows += batch.length;
          options.onProgress?.({ table, tableRows, tableTotal, rows, total });
          if (batch.length < batchSize) break;
          after = batch[batch.length - 1];
        }
        options.onTable?.(table, tableRows);
      }
    });
    return { tables, sourceCounts: counts };
  });
  const targetCounts = await target.read((to) => countAll(to, tables));
  return tables.map((table) => ({ table, source: sourceCounts.get(table) ?? 0, target: targetCounts.get(table) ?? 0 }));
}

async function requireSameSchema(source: Store, target: Store): Promise<void> {
  const [from, to] = [await source.schemaStatus(), await target.schemaStatus()];
  for (const [side, status] of [["source", from], ["target", to]] as const) {
    if (status.pending.length > 0 || status.unknown.length > 0) {
      throw new CopyError(`The ${side} database is not at this build's schema (missing: ${status.pending.join(", ") || "none"}; unknown: ${status.unknown.join(", ") || "none"}): run \`muster migrate\` on it with this build first.`);
    }
  }
}

async function requireEmpty(session: StoreSession, tables: readonly string[]): Promise<void> {
  const occupied = [...(await countAll(session, tables))].filter(([, count]) => count > 0);
  if (occupied.length === 0) return;
  const list = occupied.map(([table, count]) => `${table}: ${count}`).join(", ");
  throw new CopyError(
    `The target database is not empty (${list}). muster copy only fills an empty database, so nothing is overwritten or merged: ` +
      "point --to at a new database (PostgreSQL: createdb; SQLite: a file that does not exist yet) and run it again.",
  );
}

async function insertOrExplain(session: StoreSession, table: string, batch: readonly TransferRow[], before: number): Promise<void> {
  try {
    await session.transfer.insertBatch(table, batch);
  } catch (error) {
    // Drivers put the specifics (which character, which constraint) in a separate detail.
    const detail = (error as { detail?: unknown } | null)?.detail;
    const reason = (error instanceof Error ? error.message : String(error)) + (typeof detail === "string" && detail !== "" ? ` (${detail})` : "");
    // Row numbers, not values: rows hold personal data and secret hashes that do not belong in a terminal log.
    throw new CopyError(`Copying table ${table} failed at rows ${before + 1}–${before + batch.length} (in key order): ${reason}. Nothing was written to the target.`, { cause: error });
  }
}
