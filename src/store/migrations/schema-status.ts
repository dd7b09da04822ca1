import { DEFAULT_MIGRATION_TABLE, type Kysely } from "kysely";
import type { SchemaStatus } from "../store.js";

/** What a command does with the schema when it opens a database. */
export type SchemaPolicy =
  /** Apply pending migrations (the default: one-command start keeps working). */
  | "migrate"
  /** Refuse a database that lacks migrations (automatic migration is off; run `muster migrate`). */
  | "verify"
  /** Open as it is: only for `muster migrate`, which reads the status and migrates itself. */
  | "none";

/** Thrown when a database's schema does not fit this build: newer than it, or not yet migrated while migrating is off. */
export class SchemaVersionError extends Error {
  override readonly name = "SchemaVersionError";
  readonly status: SchemaStatus;

  constructor(message: string, status: SchemaStatus) {
    super(message);
    this.status = status;
  }
}

/** Compares the migrations recorded in the database with `known` (this build's, in order). */
export async function readSchemaStatus(db: Kysely<any>, known: readonly string[]): Promise<SchemaStatus> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  const recorded = tables.some((table) => table.name === DEFAULT_MIGRATION_TABLE)
    ? ((await db.selectFrom(DEFAULT_MIGRATION_TABLE).select("name").execute()) as { name: string }[]).map((row) => row.name)
    : [];
  const has = new Set(recorded);
  const knows = new Set(known);
  return {
    applied: known.filter((name) => has.has(name)),
    pending: known.filter((name) => !has.has(name)),
    unknown: recorded.filter((name) => !knows.has(name)).sort(),
  };
}

/** Rejects a database that a newer Muster has migrated: this build would misread tables it does not know. */
export function refuseNewerDatabase(status: SchemaStatus): void {
  if (status.unknown.length === 0) return;
  const names = status.unknown.join(", ");
  throw new SchemaVersionError(
    `The database has ${plural(status.unknown.length, "migration")} this build of Muster does not know (${names}): a newer Muster upgraded it. ` +
      "Run that version or a newer one; Muster does not downgrade a database (restore a backup taken before the upgrade to go back).",
    status,
  );
}

/** Rejects a database that lacks migrations of this build when migrating on open is off. */
export function refuseOutdatedDatabase(status: SchemaStatus): void {
  refuseNewerDatabase(status);
  if (status.pending.length === 0) return;
  throw new SchemaVersionError(
    `The database lacks ${plural(status.pending.length, "migration")} of this build (${status.pending.join(", ")}) and automatic migration is off ` +
      "(MUSTER_AUTO_MIGRATE=false or --no-migrate): run `muster migrate` first.",
    status,
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
