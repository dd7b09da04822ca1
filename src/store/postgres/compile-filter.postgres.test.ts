import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from "kysely";
import { describe, expect, it } from "vitest";
import { parseFilter } from "../../scim/filter/parse-filter.js";
import type { ResolvedFilter } from "../../scim/filter/resolved.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import { unwrap } from "../../scim/result.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { registry } from "../../scim/schema/registry.js";
import type { Database } from "../schema.js";
import { compileFilter } from "../sql/compile-filter.js";
import { layoutFor } from "../sql/layout.js";
import { listStatements } from "../sql/list-resources.js";
import { SqlMembership } from "../sql/membership.js";
import { postgresDialect } from "./postgres-dialect.js";

// Compiles without a database, as Kysely's own dialect tests do.
const logged: { sql: string; parameters: readonly unknown[] }[] = [];
const db = new Kysely<Database>({
  dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new PostgresIntrospector(k), createQueryCompiler: () => new PostgresQueryCompiler() },
  log: (event) => void logged.push({ sql: event.query.sql, parameters: event.query.parameters }),
});

const resolved = (type: ResourceTypeName, text: string): ResolvedFilter => unwrap(resolveFilter(unwrap(parseFilter(text)), registry.forType(type)));

function where(type: ResourceTypeName, text: string): { sql: string; parameters: readonly unknown[] } {
  const table = type === "User" ? "users as r" : ("groups as r" as "users as r");
  const compiled = db
    .selectFrom(table)
    .select("r.id")
    .where(compileFilter(resolved(type, text), { dialect: postgresDialect, layout: layoutFor(type, postgresDialect), resource: "r", tenantId: "T" }))
    .compile();
  return { sql: compiled.sql.replace(/^select "r"\."id" from "(users|groups)" as "r" where /, ""), parameters: compiled.parameters };
}

const fold = (text: string) => `lower(normalize(${text}, nfc) collate "und-x-icu")`;
const json = (path: string) => fold(`nullif(("r"."attributes" #>> '${path}'), '')`);
const element = (alias: string, key: string) => fold(`nullif((("${alias}".value -> '${key}') #>> '{}'), '')`);
const elements = (alias: string, path: string) =>
  `jsonb_array_elements(case when jsonb_typeof(("r"."attributes" #> '${path}')) = 'array' then ("r"."attributes" #> '${path}') end) with ordinality as "${alias}"(value, position)`;

describe("PostgreSQL SQL for filters", () => {
  it.each([
    ['userName eq "Bob"', `"r"."user_name_key" = $1`, ["bob"]],
    ['userName sw "Al"', `(("r"."user_name_key") collate "C" >= $1 and ("r"."user_name_key") collate "C" < $2)`, ["al", "am"]],
    ['userName co "%_\\\\"', `"r"."user_name_key" like $1`, ["%\\%\\_\\\\%"]],
    ['name.familyName sw "Sch"', `(("r"."family_name_key") collate "C" >= $1 and ("r"."family_name_key") collate "C" < $2)`, ["sch", "sci"]],
    ['name.middleName co "%"', `strpos(${json('{"name","middleName"}')}, $1) > 0`, ["%"]],
    ['userName ew "É"', `right("r"."user_name_key", $1) = $2`, [1, "é"]],
    ['userName ew "😀x"', `right("r"."user_name_key", $1) = $2`, [2, "😀x"]],
    ['userName gt "m"', `("r"."user_name_key") collate "C" > $1`, ["m"]],
    ['userName lt "a\\u0000b"', `("r"."user_name_key") collate "C" < $1`, ["a\u0001"]],
    ['userName eq "a\\u0000b"', `false`, []],
    ['externalId eq "AbC"', `"r"."external_id" = $1`, ["AbC"]],
    ["active eq true", `"r"."active" = $1`, [true]],
    ['meta.lastModified ge "2026-01-01T01:00:00+01:00"', `("r"."last_modified_at") collate "C" >= $1`, ["2026-01-01T00:00:00.000Z"]],
    ['title eq "Dr"', `${json('{"title"}')} = $1`, ["dr"]],
    ['title sw "Dr"', `left(${json('{"title"}')}, $1) = $2`, [2, "dr"]],
    ['title gt "Dr"', `(${json('{"title"}')}) collate "C" > $1`, ["dr"]],
    ["title pr", `nullif(("r"."attributes" #>> '{"title"}'), '') is not null`, []],
    ['not (title eq "x")', `(${json('{"title"}')} = $1) is not true`, ["x"]],
    ["name pr", `coalesce(jsonb_typeof("r"."attributes" #> '{"name"}'), 'null') <> 'null'`, []],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "M"',
      `${json('{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","manager","value"}')} = $1`,
      ["m"],
    ],
    ['emails.value eq "A@X"', `"r"."id" in (select "e0"."user_id" from "user_emails" as "e0" where "e0"."tenant_id" = $1 and "e0"."value_key" = $2)`, ["T", "a@x"]],
    [
      'emails[type eq "work" and display eq "D"]',
      `exists (select 1 from ${elements("e0", '{"emails"}')} where (${element("e0", "type")} = $1 and ${element("e0", "display")} = $2) limit 1)`,
      ["work", "d"],
    ],
    [
      'phoneNumbers.type eq "work" or roles pr',
      `(exists (select 1 from ${elements("e0", '{"phoneNumbers"}')} where ${element("e0", "type")} = $1 limit 1) or exists (select 1 from ${elements("e1", '{"roles"}')} limit 1))`,
      ["work"],
    ],
  ])("User %s", (text, sql, parameters) => {
    expect(where("User", text)).toEqual({ sql, parameters });
  });

  it("binds every literal as a parameter, never as SQL text", () => {
    const marker = "Zq'\"%_\\;--$1";
    for (const text of [`userName eq "${marker.replace(/["\\]/g, "\\$&")}"`, `title co "${marker.replace(/["\\]/g, "\\$&")}"`, `emails[value sw "${marker.replace(/["\\]/g, "\\$&")}"]`, `groups.display gt "${marker.replace(/["\\]/g, "\\$&")}"`]) {
      const compiled = where("User", text);
      expect(compiled.sql.toLowerCase()).not.toContain("zq");
      expect(compiled.parameters.some((p) => typeof p === "string" && p.toLowerCase().includes("zq"))).toBe(true);
    }
  });
});

describe("PostgreSQL SQL for lists and members", () => {
  const userName = { schema: registry.forType("User").core.id, extension: false, attribute: registry.forType("User").coreAttribute("userName")! };

  it("pages by cursor with a row-value keyset in code point order", () => {
    const statements = listStatements(db, postgresDialect, "User", "T", { sort: { attr: userName, descending: true }, page: { kind: "cursor", count: 10, after: { sortValue: "m", id: "u9" } } });
    const rows = statements.rows!.compile();
    expect(rows.sql).toBe(
      `select "r"."tenant_id", "r"."id", "r"."created_at", "r"."last_modified_at", "r"."version", "r"."attributes", ("r"."user_name_key") collate "C" as "sort_value" from "users" as "r" where "r"."tenant_id" = $1 and (("r"."user_name_key") collate "C", "r"."id") < ($2, $3) order by ("r"."user_name_key") collate "C" desc, "r"."id" desc limit $4`,
    );
    expect(rows.parameters).toEqual(["T", "m", "u9", 11]);
  });

  it("binds a list of ids as one array parameter", async () => {
    logged.length = 0;
    await new SqlMembership(db, postgresDialect).countMembersOf("T", ["g1", "g2", "g1"]);
    expect(logged).toEqual([{ sql: `select "group_id", count(*) as "total" from "group_members" where "tenant_id" = $1 and "group_id" = any($2) group by "group_id"`, parameters: ["T", ["g1", "g2"]] }]);
  });

  it("key-share locks the members it finds in a write session, and only there", async () => {
    logged.length = 0;
    await new SqlMembership(db, postgresDialect, true).findMembers("T", ["u1"]);
    await new SqlMembership(db, postgresDialect).findMembers("T", ["u1"]);
    const found = (lock: string) =>
      `with "found_users" as (select "id" from "users" where "tenant_id" = $1 and "id" = any($2)${lock}), "found_groups" as (select "id" from "groups" where "tenant_id" = $3 and "id" = any($4)${lock}) select "id", 'User' as "type" from "found_users" union all select "id", 'Group' as "type" from "found_groups"`;
    expect(logged.map((entry) => entry.sql)).toEqual([found(" for key share"), found("")]);
  });

  it("deletes members matching a filter with one DELETE bounded by tenant and group", async () => {
    logged.length = 0;
    const filter = resolved("Group", 'members[type eq "User" and value eq "u1"]');
    if (filter.kind !== "valuePath") throw new Error("expected a value path");
    await new SqlMembership(db, postgresDialect).removeMembersWhere("T", "g", filter.filter);
    expect(logged).toEqual([
      {
        sql: `delete from "group_members" as "m" where "m"."tenant_id" = $1 and "m"."group_id" = $2 and (${fold(`"m"."member_type"`)} = $3 and "m"."member_id" = $4)`,
        parameters: ["T", "g", "user", "u1"],
      },
    ]);
  });
});
