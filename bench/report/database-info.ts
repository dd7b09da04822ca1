import { statSync } from "node:fs";
import pg from "pg";

/** The database both servers ran on. */
export type DatabaseInfo =
  | { readonly kind: "sqlite"; readonly version: string }
  | {
      readonly kind: "postgres";
      readonly version: string;
      /** Connections in Muster's pool and in the ceiling's. */
      readonly poolSize: number;
      /** fsync, synchronous_commit, shared_buffers, wal_sync_method as the server reports them. */
      readonly settings: Readonly<Record<string, string>>;
      /** Host and port of the URL (no user or password). */
      readonly server: string;
      /** The server's data directory when the role may read it. */
      readonly dataDirectory?: string;
      /** Whether that directory is on the file system the fsync probe measured; undefined when it is not on this machine or cannot be seen. */
      readonly dataDirectoryOnProbeDisk?: boolean;
      readonly databaseMb: number;
      /** Rows copied from the cached SQLite tenant and how long creating, copying and VACUUM ANALYZE took. */
      readonly copiedRows: number;
      readonly copySeconds: number;
    };

const reported = ["fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "wal_sync_method"] as const;
const localHosts = new Set(["localhost", "127.0.0.1", "[::1]", ""]);

function sameFileSystem(directory: string, probeDir: string): boolean | undefined {
  try {
    return statSync(directory).dev === statSync(probeDir).dev;
  } catch {
    return undefined;
  }
}

/**
 * The PostgreSQL server's version, durability settings and the database's size, and where its data
 * directory is (readable by superusers and pg_read_all_settings) and whether the fsync probe in
 * `probeDir` measured that directory's file system.
 */
export async function postgresInfo(url: string, poolSize: number, probeDir: string, copy: { rows: number; seconds: number }): Promise<DatabaseInfo> {
  const client = new pg.Client({ connectionString: url, application_name: "muster-bench" });
  await client.connect();
  try {
    const settings = `${reported.map((name) => `current_setting('${name}') as ${name}`).join(", ")}`;
    const { rows } = await client.query<Record<string, string>>(`select current_setting('server_version') as version, pg_database_size(current_database())::bigint::text as bytes, ${settings}`);
    const row = rows[0]!;
    let dataDirectory: string | undefined;
    try {
      dataDirectory = (await client.query<{ dir: string }>("select current_setting('data_directory') as dir")).rows[0]?.dir;
    } catch {
      dataDirectory = undefined;
    }
    const parsed = new URL(url);
    const local = localHosts.has(parsed.hostname);
    const onProbeDisk = dataDirectory !== undefined && local ? sameFileSystem(dataDirectory, probeDir) : undefined;
    return {
      kind: "postgres",
      version: row["version"] ?? "?",
      poolSize,
      settings: Object.fromEntries(reported.map((name) => [name, row[name] ?? "?"])),
      server: parsed.host === "" ? "local socket" : parsed.host,
      ...(dataDirectory === undefined ? {} : { dataDirectory }),
      ...(onProbeDisk === undefined ? {} : { dataDirectoryOnProbeDisk: onProbeDisk }),
      databaseMb: Number(row["bytes"] ?? 0) / 1024 / 1024,
      copiedRows: copy.rows,
      copySeconds: copy.seconds,
    };
  } finally {
    await client.end();
  }
}

/** The database as one phrase for a report's header: "SQLite 3.50.4" or "PostgreSQL 15.14 (pool 10; fsync on, …)". */
export function describeDatabase(database: DatabaseInfo | undefined, sqliteVersion: string): string {
  if (database === undefined || database.kind === "sqlite") return `SQLite ${database?.version ?? sqliteVersion}`;
  const settings = Object.entries(database.settings).map(([name, value]) => `${name} ${value}`).join(", ");
  return `PostgreSQL ${database.version} at ${database.server} (pool of ${database.poolSize} connections for Muster and for the ceiling; ${settings})`;
}

/** Where PostgreSQL keeps its data and how the tenant got there; undefined on SQLite. */
export function describePostgresData(database: DatabaseInfo | undefined): string | undefined {
  if (database === undefined || database.kind === "sqlite") return undefined;
  const disk = database.dataDirectoryOnProbeDisk === undefined ? "" : database.dataDirectoryOnProbeDisk ? " (on the file system the fsync probe measured)" : " (NOT on the file system the fsync probe measured)";
  const where = database.dataDirectory === undefined ? "data directory not readable by this role" : `data directory ${database.dataDirectory}${disk}`;
  return `PostgreSQL database ${Math.round(database.databaseMb).toLocaleString("en-US")} MB, ${where}; tenant copied from the SQLite cache (${database.copiedRows.toLocaleString("en-US")} rows) in ${database.copySeconds.toFixed(0)} s`;
}
