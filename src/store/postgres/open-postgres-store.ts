import { CompiledQuery, Kysely, type DatabaseConnection, type PostgresPool } from "kysely";
import pg from "pg";
import { prepareSchema } from "../migrations/migrate-to-latest.js";
import type { SchemaPolicy } from "../migrations/schema-status.js";
import type { Database } from "../schema.js";
import { SqlStore } from "../sql/sql-store.js";
import { StoreTelemetry } from "../sql/store-telemetry.js";
import { foldCollation, postgresDialect } from "./postgres-dialect.js";
import { PostgresStatementRunner } from "./postgres-statement-runner.js";
import { ModalPostgresDialect, ReplaceNulPlugin, type PostgresTransactionMode } from "./postgres-kysely-dialect.js";

/** Tuning of a PostgreSQL store. */
export interface PostgresStoreOptions {
  /** Connections in the pool, shared by reads and writes. Default 10. */
  readonly poolSize?: number;
  /** How long a statement waits for a row lock another node holds before the write fails as busy (503). Default 5000 ms. */
  readonly lockTimeoutMs?: number;
  /** How long a request waits for a free pooled connection before it fails as busy. Default 10000 ms. */
  readonly connectionTimeoutMs?: number;
  /** What to do with the schema on open (default: migrate it to the latest version). */
  readonly schema?: SchemaPolicy;
}

/** The oldest server version Muster runs on (normalize(), ICU collations and the SQL it writes). */
const minimumServerVersion = 150_000;

// jsonb (3802) and json (114) columns come back as their text: documents are parsed where the SQLite store parses them.
const jsonTypes = new Set([114, 3802]);
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => (jsonTypes.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/** The URL without password and query (either may hold a secret), for error messages. */
function shown(url: string): string {
  const parsed = new URL(url);
  const user = parsed.username === "" ? "" : `${parsed.username}@`;
  return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
}

/** Refuses servers Muster cannot give SQLite's semantics on: too old, not UTF-8, or built without ICU. */
async function checkServer(db: Kysely<Database>): Promise<void> {
  const { rows } = await db.executeQuery<{ version: number; encoding: string; icu: boolean }>(
    CompiledQuery.raw(
      `select current_setting('server_version_num')::int as version, current_setting('server_encoding') as encoding, exists (select 1 from pg_collation where collname = '${foldCollation}') as icu`,
    ),
  );
  const server = rows[0]!;
  if (server.version < minimumServerVersion) throw new Error(`Muster needs PostgreSQL 15 or newer; this server is version ${Math.floor(server.version / 10_000)}.`);
  if (server.encoding !== "UTF8") throw new Error(`Muster needs a UTF8 database; this one is ${server.encoding} (create it with ENCODING 'UTF8').`);
  if (!server.icu) throw new Error(`Muster needs PostgreSQL built with ICU (collation "${foldCollation}") for Unicode case-insensitive matching; this server has none.`);
}

/**
 * Opens a store on the PostgreSQL database at `url` (postgres:// or postgresql://) through one pg pool:
 * reads run as REPEATABLE READ READ ONLY snapshots, writes in READ COMMITTED with the rows they change
 * locked first, so several Muster nodes can share the database. Migrates the schema unless
 * `options.schema` says otherwise. Errors name the server without the password.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<SqlStore> {
  const lockTimeoutMs = Math.max(0, Math.floor(options.lockTimeoutMs ?? 5000));
  const pool = new pg.Pool({
    connectionString: url,
    max: Math.max(1, Math.floor(options.poolSize ?? 10)),
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    application_name: "muster",
    types,
  });
  // An idle connection that the server drops (restart, failover) is discarded by the pool; without a listener it would crash the process.
  pool.on("error", () => undefined);
  const onCreateConnection = async (connection: DatabaseConnection) => {
    await connection.executeQuery(CompiledQuery.raw(`set lock_timeout = ${lockTimeoutMs}`));
  };
  // Both Kysely instances share the pool; only the writer's destroy ends it.
  const shared: PostgresPool = { connect: () => pool.connect(), end: async () => undefined };
  // Every statement of both instances is reported here; the server's metrics attach with Store.observe.
  const telemetry = new StoreTelemetry();
  const kysely = (mode: PostgresTransactionMode, target: PostgresPool) =>
    new Kysely<Database>({
      dialect: new ModalPostgresDialect({ pool: target, onCreateConnection }, mode),
      plugins: [new ReplaceNulPlugin()],
      log: (event) => telemetry.logged(event),
    });
  const writer = kysely("write", pool);
  const reader = kysely("read", shared);
  try {
    await checkServer(writer);
  } catch (error) {
    await writer.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not open the PostgreSQL database ${shown(url)}: ${reason}`, { cause: error });
  }
  try {
    await prepareSchema(writer, postgresDialect, options.schema);
  } catch (error) {
    await writer.destroy();
    throw error;
  }
  return new SqlStore({
    dialect: postgresDialect,
    writer,
    reader,
    lookupRunner: new PostgresStatementRunner(pool, telemetry),
    telemetry,
    poolUsage: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max }),
    close: async () => {
      await reader.destroy();
      await writer.destroy();
    },
  });
}
