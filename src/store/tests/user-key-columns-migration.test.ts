import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { parseFilter } from "../../scim/filter/parse-filter.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import { foldCase } from "../../scim/fold.js";
import type { JsonObject } from "../../scim/json.js";
import { unwrap } from "../../scim/result.js";
import { registry } from "../../scim/schema/registry.js";
import { Urn } from "../../scim/urns.js";
import { openStore } from "../open-store.js";
import type { Store } from "../store.js";
import { openDatabaseAtMigration } from "../testing/database-at-migration.js";
import { openRawDatabase } from "../testing/raw-database.js";

/*
 * Migration 0005 on a database that has users already: the key columns are filled with foldCase of
 * the documents (in batches), the indexes and the trigram index answer filters at once, and the
 * trigram index follows later inserts, renames and deletes.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A new database migrated up to 0004-search-terms, as a Kysely connection of its own, and its URL; removed after the test. */
async function databaseAt0004(): Promise<{ url: string; db: Kysely<any> }> {
  const old = await openDatabaseAtMigration("0004-search-terms");
  cleanups.push(old.remove);
  return old;
}

const at = "2026-01-01T00:00:00.000Z";
const enterprise = Urn.EnterpriseUser;

/** User documents: enough for more than one backfill batch, and names whose folding is not plain lowercasing. */
function documents(): { id: string; attributes: JsonObject }[] {
  const many = Array.from({ length: 1500 }, (_, i) => ({
    id: `u${String(i).padStart(5, "0")}`,
    attributes: { userName: `user${i}@x.example`, name: { givenName: `Given${i % 7}`, familyName: `Family${i % 11}` }, [enterprise]: { employeeNumber: `E${i}` } },
  }));
  return [
    ...many,
    { id: "z1", attributes: { userName: "Zoë.Doe@x.example", displayName: "ZOE\u0308 Doe", name: { givenName: "Zoe\u0308", familyName: "İNCE" }, [enterprise]: { department: "R&D", employeeNumber: "X-9" } } },
    { id: "z2", attributes: { userName: "Empty.Names@x.example", displayName: "", name: { givenName: "", familyName: "ΣΊΣΥΦΟΣ" } } },
  ];
}

async function insertOldRows(db: Kysely<any>, rows: { id: string; attributes: JsonObject }[]): Promise<void> {
  await db.insertInto("tenants").values({ id: "t", slug: "t", name: "T", created_at: at }).execute();
  const row = ({ id, attributes }: { id: string; attributes: JsonObject }) => {
    const userName = attributes["userName"] as string;
    return { tenant_id: "t", id, user_name: userName, user_name_key: foldCase(userName), created_at: at, last_modified_at: at, version: 1, attributes: JSON.stringify(attributes) };
  };
  for (let start = 0; start < rows.length; start += 500) await db.insertInto("users").values(rows.slice(start, start + 500).map(row)).execute();
}

async function ids(store: Store, filter: string): Promise<string[]> {
  const resolved = unwrap(resolveFilter(unwrap(parseFilter(filter)), registry.forType("User")));
  const page = await store.read((s) => s.resources.list("User", "t", { filter: resolved, page: { kind: "index", startIndex: 1, count: 2000 } }));
  expect(page.totalResults).toBe(page.records.length);
  return page.records.map((record) => record.id);
}

describe("migration 0005 (user key columns)", () => {
  it("fills the key columns of existing users with foldCase of their documents", async () => {
    const { url, db } = await databaseAt0004();
    const rows = documents();
    await insertOldRows(db, rows);
    await db.destroy();

    const store = await openStore(url);
    cleanups.push(() => store.close());
    const raw = openRawDatabase(url);
    cleanups.push(() => raw.close());
    const stored = await raw.query<Record<string, string | null>>(
      sql`select id, given_name_key, family_name_key, display_name_key from users order by id`,
    );
    expect(stored).toHaveLength(rows.length);
    const byId = new Map(stored.map((row) => [row["id"], row]));
    expect(byId.get("u00012")).toEqual({ id: "u00012", given_name_key: "given5", family_name_key: "family1", display_name_key: null });
    expect(byId.get("z1")).toEqual({ id: "z1", given_name_key: foldCase("Zoe\u0308"), family_name_key: foldCase("İNCE"), display_name_key: foldCase("ZOE\u0308 Doe") });
    // "" is unassigned (RFC 7643 §2.5); final sigma folds as foldCase folds it.
    expect(byId.get("z2")).toEqual({ id: "z2", given_name_key: null, family_name_key: foldCase("ΣΊΣΥΦΟΣ"), display_name_key: null });

    expect(await ids(store, 'name.familyName eq "family10"')).toHaveLength(136);
    expect(await ids(store, 'name.givenName sw "zoë"')).toEqual(["z1"]);
    expect(await ids(store, 'name.familyName eq "σίσυφος"')).toEqual(["z2"]);
    // Not a key column: still answered, from the document.
    expect(await ids(store, `${enterprise}:employeeNumber eq "e1499"`)).toEqual(["u01499"]);
    expect(await ids(store, 'displayName pr and not (displayName co "x")')).toEqual(["z1"]);
  });

  it("answers userName co for existing users, and keeps answering it as users are added, renamed and deleted", async () => {
    const { url, db } = await databaseAt0004();
    await insertOldRows(db, documents());
    await db.destroy();

    const store = await openStore(url);
    cleanups.push(() => store.close());
    expect(await ids(store, 'userName co "r1499@"')).toEqual(["u01499"]);
    expect(await ids(store, 'userName co "ZOË.D"')).toEqual(["z1"]);

    await store.write(async (s) => {
      await s.resources.insert({ tenantId: "t", id: "n1", type: "User", attributes: { userName: "Newcomer@x.example" }, created: at });
      const renamed = await s.resources.get("User", "t", "u01499");
      await s.resources.update({ tenantId: "t", id: "u01499", type: "User", attributes: { ...renamed!.attributes, userName: "renamed.person@x.example" }, lastModified: at, expectedVersion: renamed!.version });
      const touched = await s.resources.get("User", "t", "u00007");
      await s.resources.update({ tenantId: "t", id: "u00007", type: "User", attributes: { ...touched!.attributes, title: "Same name" }, lastModified: at, expectedVersion: touched!.version });
      await s.resources.delete("User", "t", "z1");
    });
    expect(await ids(store, 'userName co "comer@"')).toEqual(["n1"]);
    expect(await ids(store, 'userName co "r1499@"')).toEqual([]);
    expect(await ids(store, 'userName co "med.pers"')).toEqual(["u01499"]);
    expect(await ids(store, 'userName co "user7@"')).toEqual(["u00007"]);
    expect(await ids(store, 'userName co "zoë"')).toEqual([]);
  });
});
