import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import type { SqlDialect } from "../sql/dialect.js";
import type { SchemaStatus } from "../store.js";
import { initialMigration } from "./0001-initial.js";
import { adminAccountsMigration } from "./0002-admin-accounts.js";
import { activityMigration } from "./0003-activity.js";
import { searchTermsMigration } from "./0004-search-terms.js";
import { userKeyColumnsMigration } from "./0005-user-key-columns.js";
import { resourceCountsMigration } from "./0006-resource-counts.js";
import { resourceCountRevisionsMigration } from "./0007-resource-count-revisions.js";
import { auditEventsMigration } from "./0008-audit-events.js";
import { resourceCountShardsMigration } from "./0009-resource-count-shards.js";
import { changeFeedMigration } from "./0010-change-feed.js";
import { outboundAppsMigration } from "./0011-outbound-apps.js";
import { readSchemaStatus, refuseNewerDatabase, refuseOutdatedDatabase, type SchemaPolicy } from "./schema-status.js";

/** Every schema version, in order. Names sort as they apply; a released migration is never edited. */
export function migrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    "0001-initial": initialMigration(dialect),
    "0002-admin-accounts": adminAccountsMigration(dialect),
    "0003-activity": activityMigration(dialect),
    "0004-search-terms": searchTermsMigration(dialect),
    "0005-user-key-columns": userKeyColumnsMigration(dialect),
    "0006-resource-counts": resourceCountsMigration(dialect),
    "0007-resource-count-revisions": resourceCountRevisionsMigration(dialect),
    "0008-audit-events": auditEventsMigration(dialect),
    "0009-resource-count-shards": resourceCountShardsMigration(dialect),
    "0010-change-feed": changeFeedMigration(dialect),
    "0011-outbound-apps": outboundAppsMigration(dialect),
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

/** The names of this build's migrations, in the order they apply. */
export function migrationNames(dialect: SqlDialect): string[] {
  return Object.keys(migrations(dialect)).sort();
}

/** Which of this build's migrations the database has and lacks, and which it has that this build does not know. */
export async function schemaStatus(db: Kysely<any>, dialect: SqlDialect): Promise<SchemaStatus> {
  return readSchemaStatus(db, migrationNames(dialect));
}

/**
 * Brings the database schema to the latest version and returns the names of the migrations applied
 * now. Kysely's migrator holds a lock while it reads what is applied and applies the rest (PostgreSQL:
 * an advisory lock; SQLite: the write lock of BEGIN IMMEDIATE), so nodes migrating at once apply each
 * migration once. Each migration runs in a transaction, so a failed one leaves nothing behind. Rejects
 * with SchemaVersionError when the database is newer than this program.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: SqlDialect): Promise<string[]> {
  const before = await schemaStatus(db, dialect);
  refuseNewerDatabase(before);
  if (before.pending.length === 0) return [];
  const migrator = new Migrator({ db, provider: new InCodeProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    // A newer node may have migrated between our look and the lock: say that rather than Kysely's "corrupted migrations".
    refuseNewerDatabase(await schemaStatus(db, dialect));
    const failed = results?.find((result) => result.status === "Error")?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `database migration ${failed} failed: ${reason}` : `database migration failed: ${reason}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === "Success").map((result) => result.migrationName);
}

/** Applies a SchemaPolicy when a store opens: migrate, verify, or leave the schema as it is. Returns the migrations applied. */
export async function prepareSchema(db: Kysely<any>, dialect: SqlDialect, policy: SchemaPolicy = "migrate"): Promise<string[]> {
  if (policy === "migrate") return migrateToLatest(db, dialect);
  if (policy === "verify") refuseOutdatedDatabase(await schemaStatus(db, dialect));
  return [];
}
