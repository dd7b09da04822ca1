import type BetterSqlite3 from "better-sqlite3";
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type CompiledQuery } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFilter } from "../../scim/filter/parse-filter.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import type { JsonObject } from "../../scim/json.js";
import { unwrap } from "../../scim/result.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { registry } from "../../scim/schema/registry.js";
import { Urn } from "../../scim/urns.js";
import type { Database } from "../schema.js";
import { listStatements } from "../sql/list-resources.js";
import { SqlMembership } from "../sql/membership.js";
import type { ListQuery, PageRequest } from "../store.js";
import { createTenants, openTempSqliteStore, type TempSqliteStore } from "../testing/temp-store.js";
import { openSqliteConnection } from "./open-sqlite-store.js";
import { sqliteDialect } from "./sqlite-dialect.js";

/*
 * Lookups that IdPs make on every provisioning cycle (userName, externalId, id, emails, group members)
 * must stay index searches at a million users. These tests read SQLite's plan for the exact SQL the
 * store runs, on a populated database, before and after ANALYZE.
 */

const logged: CompiledQuery[] = [];
const compiler = new Kysely<Database>({
  dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new SqliteIntrospector(k), createQueryCompiler: () => new SqliteQueryCompiler() },
  log: (event) => void logged.push(event.query),
});

let temp: TempSqliteStore;
let raw: BetterSqlite3.Database;
beforeAll(async () => {
  temp = await openTempSqliteStore();
  await createTenants(temp.store, "t1", "t2");
  await temp.store.write(async (s) => {
    for (const tenantId of ["t1", "t2"]) {
      for (let i = 0; i < 400; i++) {
        const attributes: JsonObject = {
          userName: `user${i}@x.example`,
          externalId: `ext-${i}`,
          active: i % 3 > 0,
          displayName: `Person ${i}`,
          name: { givenName: `Given${i % 40}`, familyName: `Family${i % 50}` },
          emails: [{ value: `user${i}@x.example`, type: "work", primary: true }, { value: `u${i}@home.example`, type: "home" }],
          [Urn.EnterpriseUser]: { employeeNumber: `E${i}`, department: `Department ${i % 20}` },
        };
        await s.resources.insert({ tenantId, id: `u${String(i).padStart(4, "0")}`, type: "User", attributes, created: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() });
      }
      for (let g = 0; g < 20; g++) {
        await s.resources.insert({ tenantId, id: `g${g}`, type: "Group", attributes: { displayName: `Group ${g}` }, created: "2026-01-01T00:00:00.000Z" });
        await s.resources.addMembers(tenantId, `g${g}`, Array.from({ length: 50 }, (_, i) => ({ value: `u${String((g * 13 + i) % 400).padStart(4, "0")}`, type: "User" as const })));
      }
    }
  });
  raw = openSqliteConnection(temp.file, { busyTimeoutMs: 1000, statementCacheSize: 0 }, "writer");
});
afterAll(async () => {
  raw.close();
  await temp.dispose();
});

function plan(query: CompiledQuery): string {
  return raw
    .prepare(`explain query plan ${query.sql}`)
    .all(...query.parameters)
    .map((row) => (row as { detail: string }).detail)
    .join("\n");
}

const first: PageRequest = { kind: "index", startIndex: 1, count: 100 };

function listPlans(type: ResourceTypeName, filter: string | undefined, extra: Partial<ListQuery> = {}): { count: string; rows: string } {
  const query: ListQuery = { page: first, ...(filter ? { filter: unwrap(resolveFilter(unwrap(parseFilter(filter)), registry.forType(type))) } : {}), ...extra };
  const statements = listStatements(compiler, sqliteDialect, type, "t1", query);
  return { count: plan(statements.count.compile()), rows: plan(statements.rows!.compile()) };
}

const userName = { schema: registry.forType("User").core.id, extension: false, attribute: registry.forType("User").coreAttribute("userName")! };
const meta = registry.forType("User").coreAttribute("meta")!;
const name = registry.forType("User").coreAttribute("name")!;
const familyName = { schema: registry.forType("User").core.id, extension: false, attribute: name, subAttribute: name.subAttributes!.find((sub) => sub.name === "familyName")! };
const created = { schema: registry.forType("User").core.id, extension: false, attribute: meta, subAttribute: meta.subAttributes!.find((sub) => sub.name === "created")! };

describe.each([false, true])("query plans (after ANALYZE: %s)", (analyzed) => {
  beforeAll(() => {
    if (analyzed) raw.exec("analyze");
  });

  it.each([
    ['userName eq "user7@x.example"', /SEARCH r USING (COVERING )?INDEX sqlite_autoindex_users_\d \(tenant_id=\? AND user_name_key=\?\)/],
    ['userName sw "user7"', /SEARCH r USING (COVERING )?INDEX sqlite_autoindex_users_\d \(tenant_id=\? AND user_name_key>\? AND user_name_key<\?\)/],
    ['externalId eq "ext-7"', /SEARCH r USING (COVERING )?INDEX users_external_id \(tenant_id=\? AND external_id=\?\)/],
    ['id eq "u0007"', /SEARCH r USING (COVERING )?INDEX sqlite_autoindex_users_\d \(tenant_id=\? AND id=\?\)/],
    ['emails.value eq "u7@home.example"', /SEARCH e0 USING COVERING INDEX user_emails_value_key \(tenant_id=\? AND value_key=\?\)/],
    ['emails[type eq "work"].value eq "user7@x.example"', /SEARCH e0 USING COVERING INDEX user_emails_value_key \(tenant_id=\? AND value_key=\?\)/],
    ['emails[primary eq true and value eq "user7@x.example"]', /SEARCH e0 USING COVERING INDEX user_emails_value_key \(tenant_id=\? AND value_key=\?\)/],
  ])("User %s is an index search", (filter, expected) => {
    const plans = listPlans("User", filter);
    for (const text of [plans.count, plans.rows]) {
      expect(text).toMatch(expected);
      expect(text).not.toMatch(/SCAN r\b/);
    }
  });

  it.each([
    ['name.familyName eq "Family7"', /SEARCH r USING (COVERING )?INDEX users_family_name_key \(tenant_id=\? AND family_name_key=\?\)/],
    ['name.familyName sw "family7"', /SEARCH r USING (COVERING )?INDEX users_family_name_key \(tenant_id=\? AND family_name_key>\? AND family_name_key<\?\)/],
    ['name[familyName gt "family8"]', /SEARCH r USING (COVERING )?INDEX users_family_name_key \(tenant_id=\? AND family_name_key>\?\)/],
    ['name.givenName eq "GIVEN3"', /SEARCH r USING (COVERING )?INDEX users_given_name_key \(tenant_id=\? AND given_name_key=\?\)/],
    ['displayName sw "Person 12"', /SEARCH r USING (COVERING )?INDEX users_display_name_key \(tenant_id=\? AND display_name_key>\? AND display_name_key<\?\)/],
  ])("User %s is a search of its key column's index", (filter, expected) => {
    const plans = listPlans("User", filter);
    for (const text of [plans.count, plans.rows]) {
      expect(text).toMatch(expected);
      expect(text).not.toMatch(/SCAN r\b/);
    }
  });

  it("answers userName co from the trigram index, and a needle too short for trigrams from the userName index alone", () => {
    for (const text of Object.values(listPlans("User", 'userName co "r7@x"'))) {
      expect(text).toMatch(/SCAN users_user_name_trigrams VIRTUAL TABLE INDEX \d+:M/);
      // With statistics the trigram matches lead; without, the planner still filters by them (a bloom filter or list).
      if (analyzed) expect(text).toMatch(/SEARCH r USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    }
    expect(listPlans("User", 'userName co "7@"').count).toMatch(/SEARCH r USING COVERING INDEX sqlite_autoindex_users_\d \(tenant_id=\?\)/);
  });

  it("reaches users found by email through the primary key", () => {
    expect(listPlans("User", 'emails.value eq "u7@home.example"').rows).toMatch(/SEARCH r USING INDEX sqlite_autoindex_users_\d \(tenant_id=\? AND id=\?\)/);
  });

  it.each([
    ['displayName eq "Group 7"', /SEARCH r USING INDEX sqlite_autoindex_groups_\d \(tenant_id=\? AND display_name_key=\?\)/],
    ['members eq "u0007"', /SEARCH e0 USING COVERING INDEX group_members_member \(tenant_id=\? AND member_id=\?\)/],
    ['members[value eq "u0007" and type eq "User"]', /SEARCH e0 USING COVERING INDEX group_members_member \(tenant_id=\? AND member_id=\?\)/],
    ['id eq "g7" and members eq "u0007"', /SEARCH r USING (COVERING )?INDEX sqlite_autoindex_groups_\d \(tenant_id=\? AND id=\?\)/],
  ])("Group %s is an index search", (filter, expected) => {
    const plans = listPlans("Group", filter);
    expect(plans.rows).toMatch(expected);
    expect(plans.rows).not.toMatch(/SCAN r\b/);
  });

  it("reads a deep cursor page in index order, without sorting and without OFFSET", () => {
    const deep = (extra: Partial<ListQuery>) => listPlans("User", undefined, { page: { kind: "cursor", count: 100, after: { sortValue: "user390@x.example", id: "u0390" } }, ...extra }).rows;
    const byId = deep({ page: { kind: "cursor", count: 100, after: { sortValue: null, id: "u0390" } } });
    expect(byId).toMatch(/SEARCH r USING INDEX sqlite_autoindex_users_\d \(tenant_id=\? AND id>\?\)/);
    const byUserName = deep({ sort: { attr: userName, descending: false } });
    expect(byUserName).toMatch(/SEARCH r USING INDEX sqlite_autoindex_users_\d \(tenant_id=\? AND user_name_key>\?\)/);
    const byCreated = deep({ sort: { attr: created, descending: true }, page: { kind: "cursor", count: 100, after: { sortValue: "2026-01-01T00:06:30.000Z", id: "u0390" } } });
    expect(byCreated).toMatch(/SEARCH r USING INDEX users_created_at \(tenant_id=\? AND \(created_at,id\)<\(\?,\?\)\)/);
    for (const text of [byId, byUserName, byCreated]) expect(text).not.toMatch(/TEMP B-TREE/);
  });

  it("sorts by a key column from the column, reading only the filter's index range", () => {
    // Unassigned values sort last, which no (tenant_id, key, id) index order gives, so the matches are sorted.
    const plans = listPlans("User", 'name.familyName sw "family7"', { sort: { attr: familyName, descending: true } });
    expect(plans.rows).toMatch(/SEARCH r USING INDEX users_family_name_key \(tenant_id=\? AND family_name_key>\? AND family_name_key<\?\)/);
    expect(plans.rows).not.toMatch(/SCAN r\b/);
  });

  it("answers membership reads and writes from keys", async () => {
    logged.length = 0;
    const membership = new SqlMembership(compiler, sqliteDialect);
    await membership.membersOf("t1", ["g1"]);
    await membership.groupsOf("t1", ["u0001"]);
    await membership.findMembers("t1", ["u0001"]);
    await membership.addFoundMembers("t1", "g1", ["u0001"]);
    await membership.removeMembers("t1", "g1", ["u0001"]);
    // The compile-only driver returns no rows, so the count's "no result" is expected; its SQL is logged.
    await membership.countMembers("t1", "g1").catch(() => undefined);
    const [membersOf, groupsOf, find, addFound, remove, count] = logged.map(plan);
    expect(membersOf).toMatch(/SEARCH m USING PRIMARY KEY \(tenant_id=\? AND group_id=\?\)/);
    expect(groupsOf).toMatch(/SEARCH m USING COVERING INDEX group_members_member \(tenant_id=\? AND member_id=\?\)/);
    // Both lookups of found_users and found_groups, in findMembers and in the INSERT … SELECT of addFoundMembers.
    for (const text of [find, addFound]) {
      expect(text).toMatch(/SEARCH users USING COVERING INDEX sqlite_autoindex_users_\d \(tenant_id=\? AND id=\?\)/);
      expect(text).toMatch(/SEARCH groups USING COVERING INDEX sqlite_autoindex_groups_\d \(tenant_id=\? AND id=\?\)/);
      expect(text).not.toMatch(/SCAN (users|groups)\b/);
    }
    expect(remove).toMatch(/SEARCH group_members USING (PRIMARY KEY \(tenant_id=\? AND group_id=\? AND member_id=\?\)|COVERING INDEX group_members_member \(tenant_id=\? AND member_id=\? AND group_id=\?\))/);
    expect(count).toMatch(/SEARCH group_members USING (COVERING INDEX \S+|PRIMARY KEY) \(tenant_id=\? AND group_id=\?\)/);
  });
});
