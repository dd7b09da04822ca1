import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type Compilable } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFilter } from "../../scim/filter/parse-filter.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import { unwrap } from "../../scim/result.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { registry } from "../../scim/schema/registry.js";
import type { Database } from "../schema.js";
import { compileFilter } from "../sql/compile-filter.js";
import { layoutFor } from "../sql/layout.js";
import { listStatements } from "../sql/list-resources.js";
import type { ListQuery } from "../store.js";
import { createTenants, openTempStore, type TempStore } from "../testing/temp-store.js";
import { postgresDialect } from "./postgres-dialect.js";

/*
 * The lookups IdPs make on every cycle must be index searches on PostgreSQL too. Text columns are
 * COLLATE "C" and the dialect compares in "C", so range conditions and orders on them can use the
 * (tenant_id, …) indexes; these tests read EXPLAIN for the exact SQL the store runs.
 */

const compiler = new Kysely<Database>({
  dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new PostgresIntrospector(k), createQueryCompiler: () => new PostgresQueryCompiler() },
});

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
  await createTenants(temp.store, "t1", "t2");
  for (const tenantId of ["t1", "t2"]) {
    await temp.store.write(async (s) => {
      for (let i = 0; i < 3000; i++) {
        const id = `${tenantId}-u${String(i).padStart(5, "0")}`;
        await s.resources.insert({ tenantId, id, type: "User", attributes: { userName: `user${i}@example.com`, externalId: `ext-${i}`, name: { givenName: `Given${i % 30}`, familyName: `Family${i % 100}` }, emails: [{ value: `user${i}@example.com`, primary: true }] }, created: "2026-01-01T00:00:00.000Z" });
      }
    });
  }
  await temp.raw(sql`analyze`);
});
afterAll(() => temp.dispose());

/** The plan of a compiled statement, as EXPLAIN's text lines joined. */
async function plan(statement: Compilable): Promise<string> {
  const { sql: text, parameters } = statement.compile();
  // EXPLAIN cannot take bind parameters; inline them as literals (the values are test constants).
  const inlined = text.replace(/\$(\d+)/g, (_, index: string) => {
    const value = parameters[Number(index) - 1];
    if (Array.isArray(value)) return `array[${value.map((v) => `'${String(v).replace(/'/g, "''")}'`).join(",")}]::text[]`;
    return typeof value === "string" ? `'${value.replace(/'/g, "''")}'` : String(value);
  });
  const rows = await temp.raw<{ "QUERY PLAN": string }>(sql`explain ${sql.raw(inlined)}`);
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

function list(type: ResourceTypeName, query: Partial<ListQuery> & { filterText?: string }) {
  const filter = query.filterText ? unwrap(resolveFilter(unwrap(parseFilter(query.filterText)), registry.forType(type))) : undefined;
  return listStatements(compiler, postgresDialect, type, "t1", { page: query.page ?? { kind: "index", startIndex: 1, count: 100 }, ...(filter ? { filter } : {}), ...(query.sort ? { sort: query.sort } : {}) });
}

/** A plan node that sorts every row it gets (an incremental sort over presorted input is not one). */
const fullSort = /(?<!Incremental )Sort {2}\(/;

const userName = { schema: registry.forType("User").core.id, extension: false, attribute: registry.forType("User").coreAttribute("userName")! };

describe("PostgreSQL query plans", () => {
  it.each([
    ['userName eq "User42@Example.com"', "users_user_name_key_unique"],
    ['userName sw "user42"', "users_user_name_key_unique"],
    ['externalId eq "ext-42"', "users_external_id"],
    ['id eq "t1-u00042"', "users_pkey"],
    ['emails.value eq "user42@example.com"', "user_emails_value_key"],
    ['name.familyName eq "FAMILY42"', "users_family_name_key"],
    ['name.familyName sw "family42"', "users_family_name_key"],
    ['name.givenName eq "given7"', "users_given_name_key"],
  ])("answers %s from the index %s, never a sequential scan of users", async (filterText, index) => {
    const text = await plan(list("User", { filterText }).rows!);
    expect(text).toContain(index);
    expect(text).not.toMatch(/Seq Scan on users/);
  });

  it("can answer userName co from the pg_trgm index of user_name_key (which at this size loses to a scan)", async () => {
    // Six thousand rows are cheaper to read by tenant than to look up by trigrams; the condition alone,
    // with scans forbidden, shows that the index fits it.
    const filter = unwrap(resolveFilter(unwrap(parseFilter('userName co "r2042@"')), registry.forType("User")));
    const condition = compileFilter(filter, { dialect: postgresDialect, layout: layoutFor("User", postgresDialect), resource: "r", tenantId: "t1" });
    await temp.raw(sql`set enable_seqscan = off`);
    try {
      const text = await plan(compiler.selectFrom("users as r").select("r.id").where(condition));
      expect(text).toMatch(/Bitmap Index Scan on users_user_name_trigrams/);
      expect(text).toContain("~~ '%r2042@%'");
    } finally {
      await temp.raw(sql`reset enable_seqscan`);
    }
  });

  it("walks cursor pages by userName in index order, sorting no more than rows of one name by id", async () => {
    const text = await plan(list("User", { sort: { attr: userName, descending: false }, page: { kind: "cursor", count: 50, after: { sortValue: "user5@example.com", id: "t1-u00005" } } }).rows!);
    expect(text).toContain("users_user_name_key_unique");
    // The unique index gives the name order; an incremental sort only orders rows of one name (one row) by id.
    expect(text).not.toMatch(fullSort);
  });

  it("walks cursor pages by id in primary key order without sorting", async () => {
    const text = await plan(list("User", { page: { kind: "cursor", count: 50, after: { sortValue: null, id: "t1-u01000" } } }).rows!);
    expect(text).toContain("users_pkey");
    expect(text).not.toMatch(/Sort/);
  });
});
