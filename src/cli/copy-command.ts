import { existsSync } from "node:fs";
import { type Command, InvalidArgumentError } from "commander";
import { loadConfig } from "../config.js";
import { copyStore, type TableCount } from "../store/copy-store.js";
import type { SchemaPolicy } from "../store/migrations/schema-status.js";
import { openStore, parseDatabaseUrl } from "../store/open-store.js";
import { memoryFilename } from "../store/sqlite/open-sqlite-store.js";
import type { Store } from "../store/store.js";
import { databaseLabel } from "./database-label.js";
import { printTable } from "./output.js";
import { ProgressBar, formatCount, formatDuration } from "./progress-bar.js";

/**
 * `muster copy --from <url> --to <url>`: moves a whole installation into an empty database (SQLite to
 * PostgreSQL and back) through the store's transfer interface, then compares row counts per table.
 */
export function registerCopyCommand(program: Command): void {
  program
    .command("copy")
    .description("copy a whole installation into an empty database (e.g. SQLite to PostgreSQL), then compare row counts table by table")
    .requiredOption("--from <url>", "the database to copy (it is only read; a server may keep running on it)")
    .requiredOption("--to <url>", "an empty database to copy into; it gets this build's schema first")
    .option("--batch <n>", "rows read and written at a time (memory use grows with it)", batchSize, 1000)
    .action(async (options: { from: string; to: string; batch: number }) => {
      if (options.from.trim() === options.to.trim()) throw new Error("--from and --to name the same database; copy into a new, empty one.");
      // MUSTER_AUTO_MIGRATE applies here too: false means both databases must have been migrated already.
      const policy: SchemaPolicy = loadConfig({}).autoMigrate ? "migrate" : "verify";
      const source = await openSide(options.from, "source", policy);
      let target: Store;
      try {
        target = await openSide(options.to, "target", policy);
      } catch (error) {
        await source.close();
        throw error;
      }
      try {
        await copy(source, target, options);
      } finally {
        await target.close();
        await source.close();
      }
    });
}

async function copy(source: Store, target: Store, options: { from: string; to: string; batch: number }): Promise<void> {
  const bar = new ProgressBar(process.stderr);
  const started = Date.now();
  bar.line(`Copying ${databaseLabel(options.from)} into ${databaseLabel(options.to)}, ${formatCount(options.batch)} rows at a time.`);
  let counts: TableCount[];
  try {
    counts = await copyStore(source, target, {
      batchSize: options.batch,
      onProgress: (progress) => bar.update(progress.rows, progress.total, progress.table),
      onTable: (table, rows) => bar.line(`  ${table}: ${rowCount(rows)}`),
    });
  } finally {
    bar.done();
  }
  const report = verificationReport(counts);
  printTable(report.rows, ["TABLE", "SOURCE", "TARGET", "CHECK"]);
  if (report.differing.length > 0) {
    process.stderr.write(`Row counts differ for ${report.differing.join(", ")}: do not switch to the target. Empty it and copy again.\n`);
    process.exitCode = 1;
    return;
  }
  const rows = counts.reduce((sum, count) => sum + count.source, 0);
  console.log(`Copied ${rowCount(rows)} in ${formatDuration((Date.now() - started) / 1000)}; every table has the same number of rows on both sides.`);
  console.log("Console sessions and sign-in throttling state are not copied: admins sign in again on the new database.");
}

/** The verification table of a copy (one row per table, counts on both sides) and the tables whose counts differ. */
export function verificationReport(counts: readonly TableCount[]): { rows: Record<string, string>[]; differing: string[] } {
  return {
    rows: counts.map((count) => ({ TABLE: count.table, SOURCE: formatCount(count.source), TARGET: formatCount(count.target), CHECK: count.source === count.target ? "ok" : "DIFFERENT" })),
    differing: counts.filter((count) => count.source !== count.target).map((count) => count.table),
  };
}

function rowCount(rows: number): string {
  return `${formatCount(rows)} row${rows === 1 ? "" : "s"}`;
}

async function openSide(url: string, side: "source" | "target", schema: SchemaPolicy): Promise<Store> {
  try {
    // Opening a SQLite path creates the file: a mistyped source would copy an empty installation.
    const parsed = parseDatabaseUrl(url);
    if (side === "source" && parsed.kind === "sqlite" && parsed.filename !== memoryFilename && !existsSync(parsed.filename)) {
      throw new Error(`there is no SQLite database at ${parsed.filename}.`);
    }
    return await openStore(url, { schema });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot open the ${side} database (${databaseLabel(url)}): ${reason}`, { cause: error });
  }
}

function batchSize(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1 || number > 100_000) throw new InvalidArgumentError("must be a whole number from 1 to 100000");
  return number;
}
