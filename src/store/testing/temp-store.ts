import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JsonObject } from "../../scim/json.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { newId } from "../ids.js";
import { openSqliteStore, type SqliteStoreOptions } from "../sqlite/open-sqlite-store.js";
import type { SqlStore } from "../sql/sql-store.js";
import type { ResourceRecord } from "../store.js";

/** A store on a fresh SQLite file in its own temporary directory (for tests). */
export interface TempStore {
  readonly store: SqlStore;
  readonly dir: string;
  readonly file: string;
  /** Closes the store and removes the directory. */
  dispose(): Promise<void>;
}

/** Opens a store on a new file under the OS temp directory. */
export async function openTempStore(options: SqliteStoreOptions = {}): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), "muster-store-"));
  const file = join(dir, "muster.db");
  const store = await openSqliteStore(file, options);
  return {
    store,
    dir,
    file,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates tenants with these ids (slug = id) and returns the ids. */
export async function createTenants(store: SqlStore, ...ids: string[]): Promise<string[]> {
  await store.write(async (session) => {
    for (const id of ids) await session.tenants.create({ id, slug: id, name: id, created: "2026-01-01T00:00:00.000Z" });
  });
  return ids;
}

/** Inserts a resource with a new id (or the given one) and a fixed creation time. */
export async function insertResource(store: SqlStore, tenantId: string, type: ResourceTypeName, attributes: JsonObject, id: string = newId(), created = "2026-01-02T03:04:05.678Z"): Promise<ResourceRecord> {
  return store.write((session) => session.resources.insert({ tenantId, id, type, attributes, created }));
}
