import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";

/** How to back up. */
export interface BackupOptions {
  /** Replace a file that exists at the destination (default: refuse). */
  readonly replace?: boolean;
  /** Pages copied per step; progress is reported between steps. Default 1,000 (4 MB of 4 KiB pages). */
  readonly pagesPerStep?: number;
  /** How long to wait for a lock held by another process. Default 5,000 ms. */
  readonly busyTimeoutMs?: number;
  /** Called after every step with pages copied and pages in all. */
  readonly onProgress?: (copied: number, total: number) => void;
}

/** What a finished backup holds. */
export interface BackupResult {
  readonly pages: number;
  readonly bytes: number;
  /** The migrations recorded in the backup, in order (empty for a database Muster never migrated). */
  readonly migrations: readonly string[];
}

/**
 * Backs up a SQLite database that may be in use (a server writing to it) with SQLite's online backup
 * API. The source is read inside one read transaction, so the copy is the database as of one moment
 * and writers are never blocked (WAL). The copy is written beside the destination, made a single file
 * (journal_mode DELETE), checked with quick_check, and only then renamed into place, so the destination
 * is either a complete backup or absent.
 */
export async function backupSqliteDatabase(source: string, destination: string, options: BackupOptions = {}): Promise<BackupResult> {
  if (!existsSync(source)) throw new Error(`There is no SQLite database at ${source}.`);
  if (resolve(source) === resolve(destination)) throw new Error("The backup must go to another file than the database itself.");
  if (existsSync(destination) && !options.replace) throw new Error(`${destination} exists already; choose a new file name or pass --force to replace it.`);
  mkdirSync(dirname(resolve(destination)), { recursive: true });
  const partial = `${destination}.partial-${process.pid}`;
  try {
    await copyPages(source, partial, options);
    const result = checkBackup(partial);
    renameSync(partial, destination);
    return result;
  } finally {
    rmSync(partial, { force: true });
  }
}

async function copyPages(source: string, partial: string, options: BackupOptions): Promise<void> {
  const db = new BetterSqlite3(source, { fileMustExist: true, timeout: options.busyTimeoutMs ?? 5_000 });
  try {
    // A read transaction held across the steps pins one snapshot. Without it, every commit by another
    // connection restarts the backup, and one that never pauses writing keeps it from ever finishing.
    db.exec("begin");
    db.prepare("select count(*) from sqlite_schema").pluck().get();
    const pagesPerStep = Math.max(1, Math.floor(options.pagesPerStep ?? 1_000));
    const { totalPages } = await db.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        options.onProgress?.(totalPages - remainingPages, totalPages);
        return pagesPerStep;
      },
    });
    options.onProgress?.(totalPages, totalPages);
    db.exec("commit");
  } finally {
    db.close();
  }
}

function checkBackup(file: string): BackupResult {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    // The copy inherits WAL mode from a live database; a backup is easier to move around as one file.
    db.pragma("journal_mode = DELETE");
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new Error(`The backup failed SQLite's quick_check (${String(check)}); the database itself may be damaged.`);
    const hasMigrations = db.prepare("select 1 from sqlite_schema where type = 'table' and name = 'kysely_migration'").get() !== undefined;
    const migrations = hasMigrations ? (db.prepare("select name from kysely_migration order by name").pluck().all() as string[]) : [];
    const pages = Number(db.pragma("page_count", { simple: true }));
    const pageSize = Number(db.pragma("page_size", { simple: true }));
    return { pages, bytes: pages * pageSize, migrations };
  } finally {
    db.close();
  }
}
