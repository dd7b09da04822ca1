import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import type { SqlDialect } from "../sql/dialect.js";
import { initialMigration } from "./0001-initial.js";
import { adminAccountsMigration } from "./0002-admin-accounts.js";
import { activityMigration } from "./0003-activity.js";
import { searchTermsMigration } from "./0004-search-terms.js";

/** Every schema version, in order. Names sort as they apply; a released migration is never edited. */
export function migrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    "0001-initial": initialMigration(dialect),
    "0002-admin-accounts": adminAccountsMigration(),
    "0003-activity": activityMigration(),
    "0004-search-terms": searchTermsMigration(dialect),
  };
}

class InCodeProvider implements MigrationProvider {
  private readonly dialect: SqlDialect;

  constructor(dialect: SqlDialect) {
    this.dialect = dialect;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

/**
 * Brings the database schema to the latest version; the server and the CLI both call it at open.
 * Returns the names of the migrations applied now. Throws when a migration fails (nothing of that
 * migration is kept: each runs in a transaction) or when the database is newer than this program.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: SqlDialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `database migration ${failed} failed: ${reason}` : `database migration failed: ${reason}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === "Success").map((result) => result.migrationName);
}
