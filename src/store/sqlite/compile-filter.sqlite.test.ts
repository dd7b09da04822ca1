import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from "kysely";
import { describe, expect, it } from "vitest";
import { parseFilter } from "../../scim/filter/parse-filter.js";
import type { ResolvedFilter } from "../../scim/filter/resolved.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import { unwrap } from "../../scim/result.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { registry } from "../../scim/schema/registry.js";
import type { Database } from "../schema.js";
import { compileFilter } from "../sql/compile-filter.js";
import { compileSort } from "../sql/compile-sort.js";
import { layoutFor } from "../sql/layout.js";
import { listStatements } from "../sql/list-resources.js";
import { SqlMembership } from "../sql/membership.js";
import { sqliteDialect } from "./sqlite-dialect.js";

// Compiles without a database, as Kysely's own dialect tests do.
const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new SqliteIntrospector(kysely),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

const resolved = (type: ResourceTypeName, text: string): ResolvedFilter => unwrap(resolveFilter(unwrap(parseFilter(text)), registry.forType(type)));

function where(type: ResourceTypeName, text: string): { sql: string; parameters: readonly unknown[] } {
  const table = type === "User" ? "users as r" : ("groups as r" as "users as r");
  const compiled = db
    .selectFrom(table)
    .select("r.id")
    .where(compileFilter(resolved(type, text), { dialect: sqliteDialect, layout: layoutFor(type, sqliteDialect), resource: "r", tenantId: "T" }))
    .compile();
  return { sql: compiled.sql.replace(/^select "r"\."id" from "(users|groups)" as "r" where /, ""), parameters: compiled.parameters };
}

const json = (path: string) => `scim_fold(nullif(json_extract("r"."attributes", '${path}'), ''))`;

describe("SQLite SQL for filters", () => {
  it.each([
    ['userName eq "Bob"', `"r"."user_name_key" = ?`, ["bob"]],
    ['userName sw "Al"', `("r"."user_name_key" >= ? and "r"."user_name_key" < ?)`, ["al", "am"]],
    ['userName co "%_"', `instr(cast("r"."user_name_key" as blob), cast(? as blob)) > 0`, ["%_"]],
    [
      'userName co "A\\"é"',
      `("r"."rowid" in (select rowid from "users_user_name_trigrams" where "users_user_name_trigrams" match ?) and instr(cast("r"."user_name_key" as blob), cast(? as blob)) > 0)`,
      ['"a""é"', 'a"é'],
    ],
    ['userName ew "É"', `substr(cast("r"."user_name_key" as blob), ?) = cast(? as blob)`, [-2, "é"]],
    ['userName gt "m"', `"r"."user_name_key" > ?`, ["m"]],
    ['externalId eq "AbC"', `"r"."external_id" = ?`, ["AbC"]],
    ['id eq "u1"', `"r"."id" = ?`, ["u1"]],
    ["active eq true", `"r"."active" = ?`, [1]],
    ['meta.lastModified ge "2026-01-01T01:00:00+01:00"', `"r"."last_modified_at" >= ?`, ["2026-01-01T00:00:00.000Z"]],
    ['title eq "Dr"', `${json('$."title"')} = ?`, ["dr"]],
    ['title sw "Dr"', `substr(cast(${json('$."title"')} as blob), 1, ?) = cast(? as blob)`, [2, "dr"]],
    ["title pr", `nullif(json_extract("r"."attributes", '$."title"'), '') is not null`, []],
    ['not (title eq "x")', `(${json('$."title"')} = ?) is not true`, ["x"]],
    ['not (userName eq "x")', `not ("r"."user_name_key" = ?)`, ["x"]],
    ["name pr", `coalesce(json_type("r"."attributes", '$."name"'), 'null') <> 'null'`, []],
    ['name.middleName eq "A"', `${json('$."name"."middleName"')} = ?`, ["a"]],
    ['name.givenName eq "A"', `"r"."given_name_key" = ?`, ["a"]],
    ['name.familyName sw "Sch"', `("r"."family_name_key" >= ? and "r"."family_name_key" < ?)`, ["sch", "sci"]],
    ['name[familyName eq "X" and middleName pr]', `(coalesce(json_type("r"."attributes", '$."name"'), 'null') <> 'null' and ("r"."family_name_key" = ? and nullif(json_extract("r"."attributes", '$."name"."middleName"'), '') is not null))`, ["x"]],
    ['name.familyName co "chm"', `instr(cast("r"."family_name_key" as blob), cast(? as blob)) > 0`, ["chm"]],
    ['displayName le "M"', `"r"."display_name_key" <= ?`, ["m"]],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "M"',
      `${json('$."urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"."manager"."value"')} = ?`,
      ["m"],
    ],
    ['emails.value eq "A@X"', `"r"."id" in (select "e0"."user_id" from "user_emails" as "e0" where "e0"."tenant_id" = ? and "e0"."value_key" = ?)`, ["T", "a@x"]],
    [
      'emails[type eq "work" and value co "@x"]',
      `"r"."id" in (select "e0"."user_id" from "user_emails" as "e0" where "e0"."tenant_id" = ? and ("e0"."type_key" = ? and instr(cast("e0"."value_key" as blob), cast(? as blob)) > 0))`,
      ["T", "work", "@x"],
    ],
    [
      'emails[type eq "work" and display eq "D"]',
      `exists (select 1 from json_each("r"."attributes", '$."emails"') as "e0" where (scim_fold(nullif(case when "e0".type = 'object' then json_extract("e0".value, '$."type"') end, '')) = ? and scim_fold(nullif(case when "e0".type = 'object' then json_extract("e0".value, '$."display"') end, '')) = ?) limit 1)`,
      ["work", "d"],
    ],
    [
      'phoneNumbers.type eq "work" or roles pr',
      `(exists (select 1 from json_each("r"."attributes", '$."phoneNumbers"') as "e0" where scim_fold(nullif(case when "e0".type = 'object' then json_extract("e0".value, '$."type"') end, '')) = ? limit 1) or exists (select 1 from json_each("r"."attributes", '$."roles"') as "e1" limit 1))`,
      ["work"],
    ],
    [
      'groups.value eq "g1"',
      `"r"."id" in (select "e0"."member_id" from "group_members" as "e0" inner join "groups" as "e0g" on "e0g"."tenant_id" = "e0"."tenant_id" and "e0g"."id" = "e0"."group_id" where "e0"."tenant_id" = ? and scim_fold("e0"."group_id") = ?)`,
      ["T", "g1"],
    ],
  ])("User %s", (text, sql, parameters) => {
    expect(where("User", text)).toEqual({ sql, parameters });
  });

  it.each([
    ['displayName eq "Sales"', `"r"."display_name_key" = ?`, ["sales"]],
    ['members eq "u1"', `"r"."id" in (select "e0"."group_id" from "group_members" as "e0" where "e0"."tenant_id" = ? and "e0"."member_id" = ?)`, ["T", "u1"]],
    [
      'id eq "g" and members[type eq "Group"]',
      `("r"."id" = ? and "r"."id" in (select "e0"."group_id" from "group_members" as "e0" where "e0"."tenant_id" = ? and scim_fold("e0"."member_type") = ?))`,
      ["g", "T", "group"],
    ],
  ])("Group %s", (text, sql, parameters) => {
    expect(where("Group", text)).toEqual({ sql, parameters });
  });

  it("binds every literal as a parameter, never as SQL text", () => {
    const marker = "Zq'\"%_\\;--";
    for (const text of [
      `userName eq "${marker.replace(/["\\]/g, "\\$&")}"`,
      `title co "${marker.replace(/["\\]/g, "\\$&")}"`,
      `emails[value sw "${marker.replace(/["\\]/g, "\\$&")}"]`,
      `addresses.locality ew "${marker.replace(/["\\]/g, "\\$&")}"`,
      `groups.display gt "${marker.replace(/["\\]/g, "\\$&")}"`,
    ]) {
      const compiled = where("User", text);
      expect(compiled.sql).not.toContain("zq");
      expect(compiled.sql).not.toContain("Zq");
      expect(compiled.parameters.some((p) => typeof p === "string" && p.toLowerCase().includes("zq"))).toBe(true);
    }
  });
});

describe("SQLite SQL for lists and member deletes", () => {
  const userName = { schema: registry.forType("User").core.id, extension: false, attribute: registry.forType("User").coreAttribute("userName")! };
  const title = { schema: registry.forType("User").core.id, extension: false, attribute: registry.forType("User").coreAttribute("title")! };

  it("pages by index with LIMIT/OFFSET and counts with the same filter", () => {
    const statements = listStatements(db, sqliteDialect, "User", "T", { filter: resolved("User", "active eq true"), page: { kind: "index", startIndex: 41, count: 20 } });
    expect(statements.count.compile().sql).toBe(`select count(*) as "total" from "users" as "r" where "r"."tenant_id" = ? and "r"."active" = ?`);
    const rows = statements.rows!.compile();
    expect(rows.sql).toBe(
      `select "r"."tenant_id", "r"."id", "r"."created_at", "r"."last_modified_at", "r"."version", "r"."attributes", null as "sort_value" from "users" as "r" where "r"."tenant_id" = ? and "r"."active" = ? order by "r"."id" asc limit ? offset ?`,
    );
    expect(rows.parameters).toEqual(["T", 1, 20, 40]);
  });

  it("pages by cursor with a row-value keyset on an indexed, never-null key", () => {
    const statements = listStatements(db, sqliteDialect, "User", "T", { sort: { attr: userName, descending: true }, page: { kind: "cursor", count: 10, after: { sortValue: "m", id: "u9" } } });
    const rows = statements.rows!.compile();
    expect(rows.sql).toBe(
      `select "r"."tenant_id", "r"."id", "r"."created_at", "r"."last_modified_at", "r"."version", "r"."attributes", "r"."user_name_key" as "sort_value" from "users" as "r" where "r"."tenant_id" = ? and ("r"."user_name_key", "r"."id") < (?, ?) order by "r"."user_name_key" desc, "r"."id" desc limit ?`,
    );
    expect(rows.parameters).toEqual(["T", "m", "u9", 11]);
  });

  it("sorts a nullable key with unassigned values last and continues past them", () => {
    const after = listStatements(db, sqliteDialect, "User", "T", { sort: { attr: title, descending: false }, page: { kind: "cursor", count: 5, after: { sortValue: "b", id: "u2" } } });
    const key = json('$."title"');
    expect(after.rows!.compile().sql).toContain(`where "r"."tenant_id" = ? and ((${key}, "r"."id") > (?, ?) or ${key} is null) order by ${key} is null asc, ${key} asc, "r"."id" asc limit ?`);
    const inNulls = listStatements(db, sqliteDialect, "User", "T", { sort: { attr: title, descending: false }, page: { kind: "cursor", count: 5, after: { sortValue: null, id: "u2" } } });
    expect(inNulls.rows!.compile().sql).toContain(`and (${key} is null and "r"."id" > ?) order by`);
  });

  it("deletes members matching a filter with one DELETE bounded by tenant and group", async () => {
    const executed: { sql: string; parameters: readonly unknown[] }[] = [];
    const logging = new Kysely<Database>({
      dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new SqliteIntrospector(k), createQueryCompiler: () => new SqliteQueryCompiler() },
      log: (event) => void executed.push({ sql: event.query.sql, parameters: event.query.parameters }),
    });
    const filter = resolved("Group", 'members[type eq "User" and value eq "u1"]');
    if (filter.kind !== "valuePath") throw new Error("expected a value path");
    await new SqlMembership(logging, sqliteDialect).removeMembersWhere("T", "g", filter.filter);
    expect(executed).toEqual([
      {
        sql: `delete from "group_members" as "m" where "m"."tenant_id" = ? and "m"."group_id" = ? and (scim_fold("m"."member_type") = ? and "m"."member_id" = ?)`,
        parameters: ["T", "g", "user", "u1"],
      },
    ]);
  });
});

describe("keyset without row values", () => {
  it("expands (key, id) > (?, ?) for dialects without row-value comparison", () => {
    const userName = { schema: registry.forType("User").core.id, extension: false, attribute: registry.forType("User").coreAttribute("userName")! };
    const sort = compileSort({ attr: userName, descending: false }, layoutFor("User", sqliteDialect), { ...sqliteDialect, supportsRowValues: false }, "r");
    const compiled = db.selectFrom("users as r").select("r.id").where(sort.after({ sortValue: "m", id: "u9" })).compile();
    expect(compiled.sql).toBe(`select "r"."id" from "users" as "r" where ("r"."user_name_key" > ? or ("r"."user_name_key" = ? and "r"."id" > ?))`);
    expect(compiled.parameters).toEqual(["m", "m", "u9"]);
  });
});
