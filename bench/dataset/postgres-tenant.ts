import { performance } from "node:perf_hooks";
import pg from "pg";
import { formatCount, ProgressBar, type ProgressStream } from "../../src/cli/progress-bar.js";
import { copyStore } from "../../src/store/copy-store.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { prepareWorkCopy, removeWorkCopy, type Dataset } from "./dataset-cache.js";

/** Marks a database as the bench's own: only such a database, or one without tables, is dropped by a run. */
export const benchDatabaseComment = "Muster bench scratch database: dropped and created again by every `npm run bench -- --db` run";

/** How the tenant reached PostgreSQL. */
export interface PostgresCopy {
  readonly rows: number;
  readonly seconds: number;
}

/** Rows copied at a time: large enough that round trips do not dominate, far below PostgreSQL's parameter limit per statement. */
const copyBatch = 5000;

/** The database name in a postgres:// URL, refused when the bench must never drop it. */
export function benchDatabaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (name === "") throw new Error("--db names no database: write postgres://user@host:port/DATABASE (the bench drops and creates that database).");
  if (["postgres", "template0", "template1"].includes(name)) throw new Error(`--db names the database "${name}", which the bench will not drop: name a database of its own, such as muster_bench.`);
  return name;
}

function databaseUrl(url: string, name: string): string {
  const other = new URL(url);
  other.pathname = `/${encodeURIComponent(name)}`;
  return other.toString();
}

async function connected<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: "muster-bench" });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs `work` on the server's maintenance database (postgres, else template1) with the URL's credentials. */
async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  try {
    return await connected(databaseUrl(url, "postgres"), work);
  } catch (error) {
    // 3D000 invalid_catalog_name: the server has no database "postgres".
    if ((error as { code?: unknown }).code !== "3D000") throw error;
    return connected(databaseUrl(url, "template1"), work);
  }
}

async function userTables(url: string): Promise<number> {
  return connected(url, async (client) => {
    const { rows } = await client.query<{ tables: number }>(
      "select count(*)::int as tables from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p') and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'",
    );
    return rows[0]?.tables ?? 0;
  });
}

/**
 * Connects to the server `url` names and refuses (throws) when the run could not drop its database:
 * a maintenance or template database, or one that exists, has tables and was not created by the bench.
 * Run before generating a tenant, so a wrong URL fails in seconds.
 */
export async function checkBenchDatabase(url: string): Promise<void> {
  const name = benchDatabaseName(url);
  const existing = await onServer(url, async (client) => (await client.query<{ comment: string | null }>("select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1", [name])).rows[0]);
  if (existing && existing.comment !== benchDatabaseComment && (await userTables(url)) > 0) {
    throw new Error(
      `The database "${name}" exists, holds tables and was not created by the bench. Every bench run on PostgreSQL DROPS the database --db names and creates it again: ` +
        "name a database that does not exist yet (the bench creates it; the role needs CREATEDB), or drop this one yourself if it is a leftover.",
    );
  }
}

/** Drops the database `url` names and creates it again, empty (UTF8, from template0), marked as the bench's; checkBenchDatabase first. */
export async function recreateBenchDatabase(url: string): Promise<void> {
  await checkBenchDatabase(url);
  const quoted = pg.escapeIdentifier(benchDatabaseName(url));
  await onServer(url, async (client) => {
    // WITH (FORCE) ends sessions a crashed earlier run left behind.
    await client.query(`drop database if exists ${quoted} with (force)`);
    await client.query(`create database ${quoted} template template0 encoding 'UTF8'`);
    await client.query(`comment on database ${quoted} is ${pg.escapeLiteral(benchDatabaseComment)}`);
  });
}

/** Drops the bench's database after a run (only when it carries the bench's mark). */
export async function dropBenchDatabase(url: string): Promise<void> {
  const name = benchDatabaseName(url);
  await onServer(url, async (client) => {
    const { rows } = await client.query<{ comment: string | null }>("select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1", [name]);
    if (rows[0]?.comment === benchDatabaseComment) await client.query(`drop database ${pg.escapeIdentifier(name)} with (force)`);
  });
}

/**
 * The cached tenant copied into a freshly created database at `url` for one run, as `muster copy` does
 * it (copyStore from a work copy of the SQLite file, with its progress bar), then VACUUM ANALYZE so the
 * planner has statistics and the visibility map is set before the first request, as on a database
 * that has been running for a while.
 */
export async function copyTenantToPostgres(dataset: Dataset, url: string, workDir: string, progress: ProgressStream): Promise<PostgresCopy> {
  const started = performance.now();
  await recreateBenchDatabase(url);
  const file = prepareWorkCopy(dataset, workDir);
  let source: Store | undefined;
  let target: Store | undefined;
  const bar = new ProgressBar(progress);
  let rows = 0;
  try {
    source = await openStore(`sqlite:${file}`, { schema: "verify" });
    target = await openStore(url);
    const counts = await copyStore(source, target, {
      batchSize: copyBatch,
      onProgress: (done) => bar.update(done.rows, done.total, done.table),
      onTable: (table, tableRows) => bar.line(`  ${table}: ${formatCount(tableRows)} row${tableRows === 1 ? "" : "s"}`),
    });
    const differing = counts.filter((count) => count.source !== count.target);
    if (differing.length > 0) throw new Error(`the copy into PostgreSQL lost rows: ${differing.map((count) => `${count.table} ${count.source} → ${count.target}`).join(", ")}`);
    rows = counts.reduce((sum, count) => sum + count.source, 0);
  } finally {
    bar.done();
    await target?.close();
    await source?.close();
    removeWorkCopy(file);
  }
  await connected(url, (client) => client.query("vacuum (analyze)"));
  return { rows, seconds: (performance.now() - started) / 1000 };
}

