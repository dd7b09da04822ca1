import { createHash } from "node:crypto";
import { constants, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { migrations } from "../../src/store/migrations/migrate-to-latest.js";
import { openSqliteStore } from "../../src/store/sqlite/open-sqlite-store.js";
import { sqliteDialect } from "../../src/store/sqlite/sqlite-dialect.js";
import { loadTenant, type LoadProgress } from "./load-tenant.js";
import { readManifest, writeManifest, type TenantManifest } from "./manifest.js";
import { generatorVersion, type TenantPlan } from "./tenant-plan.js";

/** A generated database and its manifest. */
export interface Dataset {
  readonly dir: string;
  readonly file: string;
  readonly manifest: TenantManifest;
  /** True when this run generated it, false when it came from the cache. */
  readonly generated: boolean;
}

/** The latest schema migration: a database generated under an older schema is generated again. */
export function schemaVersion(): string {
  const names = Object.keys(migrations(sqliteDialect)).sort();
  return names[names.length - 1] ?? "none";
}

/** The cache key of a plan: generator version, plan and schema version, hashed. */
export function cacheKeyOf(plan: TenantPlan, schema: string = schemaVersion()): string {
  return createHash("sha256").update(JSON.stringify({ generatorVersion, plan, schema })).digest("hex").slice(0, 12);
}

const databaseName = "muster.db";
const manifestName = "manifest.json";

function removeDatabase(file: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Empties the change feed (migration 0010) that the triggers filled while loading, and gives its pages
 * back (VACUUM). The generated tenant stands for a directory in use for years: its changes would be
 * past the feed's retention (users are created from 2024 on), and a cache migrated from before the feed
 * (below) has none either, so both kinds of cache hold the same rows.
 */
function clearChangeFeed(file: string): void {
  const db = new BetterSqlite3(file);
  try {
    const feed = db.prepare("select count(*) from sqlite_master where type = 'table' and name = 'changes'").pluck().get();
    if (feed === 0) return;
    if (db.prepare("delete from changes").run().changes > 0) db.exec("vacuum");
  } finally {
    db.close();
  }
}

/** Moves everything in the WAL into the database file, so the file alone is the whole database. */
function checkpoint(file: string): void {
  const db = new BetterSqlite3(file);
  try {
    const [result] = db.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
    if (result && result.busy !== 0) throw new Error(`cannot checkpoint ${file}: another connection holds it`);
  } finally {
    db.close();
  }
  if (existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0) throw new Error(`${file}-wal still holds data after the checkpoint`);
}

/**
 * The database of a plan under `dataDir/users-<n>-<key>/`: reused when a complete one is there (unless
 * `fresh`), else generated through the storage layer into a temporary file that is renamed only once
 * loading finished, so an interrupted run never leaves a half-loaded database in the cache.
 */
export async function ensureDataset(options: { dataDir: string; plan: TenantPlan; fresh: boolean; progress: LoadProgress }): Promise<Dataset> {
  const { plan } = options;
  const schema = schemaVersion();
  const key = cacheKeyOf(plan, schema);
  const dir = join(options.dataDir, `users-${plan.users}-${key}`);
  const file = join(dir, databaseName);
  const manifestFile = join(dir, manifestName);
  if (!options.fresh && existsSync(file) && existsSync(manifestFile)) {
    const manifest = readManifest(manifestFile);
    if (manifest.cacheKey === key) return { dir, file, manifest, generated: false };
  }
  mkdirSync(dir, { recursive: true });
  removeDatabase(file);
  rmSync(manifestFile, { force: true });
  const partial = join(dir, `${databaseName}.partial`);
  removeDatabase(partial);
  if (!options.fresh) {
    const migrated = await migrateOlderCache(options.dataDir, plan, { dir, file, partial, key, schema });
    if (migrated) return migrated;
  }

  const started = performance.now();
  // A million users' indexes do not fit SQLite's default 2 MiB page cache: every insert then rereads
  // index pages from the OS (measured: ~10,000 pread calls a second, system time twice user time).
  const store = await openSqliteStore(partial, { writerCacheKiB: 2 * 1024 * 1024 });
  let loaded;
  try {
    loaded = await loadTenant(store, plan, options.progress);
    // The reader connection is only released by close() once it has been used (Kysely opens its driver
    // lazily); unreleased, it keeps the WAL from being checkpointed into the file.
    await store.read((session) => session.tenants.count());
  } finally {
    // Runs PRAGMA optimize, as Muster does at shutdown.
    await store.close();
  }
  clearChangeFeed(partial);
  checkpoint(partial);
  const generationSeconds = (performance.now() - started) / 1000;
  removeDatabase(file);
  renameSync(partial, file);
  removeDatabase(partial);
  const manifest: TenantManifest = {
    cacheKey: key,
    generatorVersion,
    schemaVersion: schema,
    plan,
    generatedAt: new Date().toISOString(),
    generationSeconds,
    databaseBytes: statSync(file).size,
    ...loaded,
  };
  writeManifest(manifestFile, manifest);
  return { dir, file, manifest, generated: true };
}

/**
 * A copy of a cached database of the same plan and generator made under an older schema, migrated to
 * the latest one as `muster serve` would migrate it, and cached under the current key; undefined when
 * there is none. Sound because migrations never change the rows a plan generates (those since 0009
 * add tables and triggers), and the change feed that loading fills is emptied anyway
 * (clearChangeFeed): the result holds the same rows as a database generated now. A million users
 * take minutes this way instead of an hour. The older cache stays as it was (it may be a link to
 * another checkout's cache).
 */
async function migrateOlderCache(dataDir: string, plan: TenantPlan, into: { dir: string; file: string; partial: string; key: string; schema: string }): Promise<Dataset | undefined> {
  if (!existsSync(dataDir)) return undefined;
  const wanted = JSON.stringify(plan);
  const candidates = readdirSync(dataDir)
    .filter((name) => name.startsWith(`users-${plan.users}-`))
    .map((name) => join(dataDir, name))
    .filter((dir) => dir !== into.dir && existsSync(join(dir, databaseName)) && existsSync(join(dir, manifestName)))
    .map((dir) => ({ dir, manifest: readManifest(join(dir, manifestName)) }))
    .filter(({ manifest }) => manifest.generatorVersion === generatorVersion && JSON.stringify(manifest.plan) === wanted && manifest.schemaVersion < into.schema)
    .sort((a, b) => b.manifest.schemaVersion.localeCompare(a.manifest.schemaVersion));
  const source = candidates[0];
  if (!source) return undefined;
  const started = performance.now();
  copyFileSync(join(source.dir, databaseName), into.partial, constants.COPYFILE_FICLONE);
  const store = await openSqliteStore(into.partial);
  await store.read((session) => session.tenants.count());
  await store.close();
  clearChangeFeed(into.partial);
  checkpoint(into.partial);
  renameSync(into.partial, into.file);
  removeDatabase(into.partial);
  const { cacheKey, schemaVersion: from, ...rest } = source.manifest;
  const manifest: TenantManifest = {
    ...rest,
    cacheKey: into.key,
    schemaVersion: into.schema,
    databaseBytes: statSync(into.file).size,
    migratedFrom: { cacheKey, schemaVersion: from, seconds: (performance.now() - started) / 1000 },
  };
  writeManifest(join(into.dir, manifestName), manifest);
  return { dir: into.dir, file: into.file, manifest, generated: false };
}

/**
 * Copies the cached database to `workDir` for one run (write scenarios change it; the cache stays as
 * generated). A copy-on-write clone where the file system offers one.
 */
export function prepareWorkCopy(dataset: Dataset, workDir: string): string {
  mkdirSync(workDir, { recursive: true });
  const target = join(workDir, databaseName);
  removeDatabase(target);
  copyFileSync(dataset.file, target, constants.COPYFILE_FICLONE);
  return target;
}

/** Removes a run's working copy. */
export function removeWorkCopy(file: string): void {
  removeDatabase(file);
}
