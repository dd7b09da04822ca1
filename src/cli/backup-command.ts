import type { Command } from "commander";
import { parseDatabaseUrl } from "../store/open-store.js";
import { backupSqliteDatabase } from "../store/sqlite/backup-sqlite-database.js";
import { memoryFilename } from "../store/sqlite/open-sqlite-store.js";
import { databaseLabel } from "./database-label.js";
import { ProgressBar, formatCount } from "./progress-bar.js";
import { commandConfig, withDatabaseOptions, type DatabaseOptions } from "./store-access.js";

/** `muster backup --to <file>`: an online, consistent copy of a SQLite database, taken while the server runs. */
export function registerBackupCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command("backup")
      .description("copy a SQLite database to a file while the server keeps running (PostgreSQL: use pg_dump)")
      .requiredOption("--to <file>", "the backup file to write (its directory is created when missing)")
      .option("--force", "replace the file if it exists"),
    { printsUrls: false },
  ).action(async (options: DatabaseOptions & { to: string; force?: boolean }) => {
    const url = commandConfig(options).databaseUrl;
    const filename = sqliteFilename(url);
    const bar = new ProgressBar(process.stderr);
    let result;
    try {
      result = await backupSqliteDatabase(filename, options.to, { replace: options.force === true, onProgress: (copied, total) => bar.update(copied, total, "backing up", "pages") });
    } finally {
      bar.done();
    }
    const last = result.migrations[result.migrations.length - 1] ?? "no migrations";
    console.log(`Backed up ${databaseLabel(url)} to ${options.to}: ${formatMegabytes(result.bytes)} (${formatCount(result.pages)} pages), schema at ${last}, quick_check ok.`);
    console.log("To restore: stop Muster, delete the database file and its -wal and -shm files, put this file in its place, start Muster.");
  });
}

/** The file a SQLite database URL names; other databases and in-memory ones are refused with what to do instead. */
function sqliteFilename(url: string): string {
  if (/^postgres(ql)?:/i.test(url.trim())) {
    throw new Error(
      'muster backup copies SQLite databases. Back up PostgreSQL with pg_dump, e.g. pg_dump --format=custom --file=muster.dump "$MUSTER_DATABASE_URL", and restore with pg_restore (docs/deployment.md, Backups).',
    );
  }
  const parsed = parseDatabaseUrl(url);
  if (parsed.kind !== "sqlite") throw new Error("muster backup copies SQLite databases; back up PostgreSQL with pg_dump.");
  if (parsed.filename === memoryFilename) throw new Error("An in-memory database lives only inside its process: there is nothing to back up.");
  return parsed.filename;
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
