import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RawBuilder } from "kysely";
import type { JsonObject } from "../../scim/json.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { newId } from "../ids.js";
import { openStore } from "../open-store.js";
import type { SqliteStoreOptions } from "../sqlite/open-sqlite-store.js";
import type { ResourceRecord, Store } from "../store.js";
import { openRawDatabase } from "./raw-database.js";
import { createTestPostgresDatabase, dropTestPostgresDatabase, testDatabaseKind, type TestDatabaseKind } from "./test-database.js";

/** A store on a fresh database for tests, on the database the test project names. */
export interface TempStore {
  readonly store: Store;
  readonly kind: TestDatabaseKind;
  /** The database's URL, so that another store, the CLI or a child process can open the same database. */
  readonly url: string;
  /** A scratch directory, removed with the database. */
  readonly dir: string;
  /**
   * Runs a raw statement written with Kysely's `sql` tag (values bind as each database wants) on a
   * connection of its own, with foreign keys enforced, and returns its rows: for looking at or changing
   * tables directly. Values read back as the database stores them (SQLite booleans are 0/1, counts may be text).
   */
  raw<T>(query: RawBuilder<T>): Promise<T[]>;
  /** Closes the store and removes the database and the directory. */
  dispose(): Promise<void>;
}

/** A TempStore that is always a SQLite file, for SQLite-only tests. */
export interface TempSqliteStore extends TempStore {
  readonly file: string;
}

function sqliteTemp(store: Store, dir: string, file: string): TempSqliteStore {
  const url = `sqlite:${file}`;
  const direct = openRawDatabase(url);
  return {
    store,
    kind: "sqlite",
    url,
    dir,
    file,
    raw: (query) => direct.query(query),
    async dispose() {
      await direct.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens a store on a new SQLite file under the OS temp directory, whatever the test project's database. */
export async function openTempSqliteStore(options: SqliteStoreOptions = {}): Promise<TempSqliteStore> {
  const dir = mkdtempSync(join(tmpdir(), "muster-store-"));
  const file = join(dir, "muster.db");
  try {
    return sqliteTemp(await openStore(`sqlite:${file}`, options), dir, file);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function openTempPostgresStore(): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), "muster-store-"));
  const url = await createTestPostgresDatabase({ migrated: true });
  let store: Store;
  try {
    store = await openStore(url);
  } catch (error) {
    await dropTestPostgresDatabase(url);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const direct = openRawDatabase(url);
  return {
    store,
    kind: "postgres",
    url,
    dir,
    raw: (query) => direct.query(query),
    async dispose() {
      await direct.close();
      await store.close();
      await dropTestPostgresDatabase(url);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens a store on a fresh database of the test project's kind (MUSTER_TEST_DATABASE): a temp SQLite file or a new PostgreSQL database. */
export async function openTempStore(): Promise<TempStore> {
  return testDatabaseKind() === "postgres" ? openTempPostgresStore() : openTempSqliteStore();
}

/** Creates tenants with these ids (slug = id) and returns the ids. */
export async function createTenants(store: Store, ...ids: string[]): Promise<string[]> {
  await store.write(async (session) => {
    for (const id of ids) await session.tenants.create({ id, slug: id, name: id, created: "2026-01-01T00:00:00.000Z" });
  });
  return ids;
}

/** Inserts a resource with a new id (or the given one) and a fixed creation time. */
export async function insertResource(store: Store, tenantId: string, type: ResourceTypeName, attributes: JsonObject, id: string = newId(), created = "2026-01-02T03:04:05.678Z"): Promise<ResourceRecord> {
  return store.write((session) => session.resources.insert({ tenantId, id, type, attributes, created }));
}
