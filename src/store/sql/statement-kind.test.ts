import { describe, expect, it } from "vitest";
import { statementKindOf } from "./statement-kind.js";

describe("statementKindOf", () => {
  it("names reads, writes and transaction control by their first keyword, in any case", () => {
    expect(statementKindOf('select "id" from "users" where "tenant_id" = ?')).toBe("select");
    expect(statementKindOf("  WITH recursive t(n) as (select 1) select n from t")).toBe("select");
    expect(statementKindOf("(select 1) union (select 2)")).toBe("select");
    expect(statementKindOf('insert into "activity" ("id") values (?)')).toBe("insert");
    expect(statementKindOf("update users set version = version + 1")).toBe("update");
    expect(statementKindOf("delete from group_members where group_id = $1")).toBe("delete");
    for (const control of ["begin immediate", "BEGIN isolation level read committed", "commit", "rollback", "savepoint muster_write", "release muster_write", "rollback to muster_write"]) {
      expect(statementKindOf(control), control).toBe("transaction");
    }
  });

  it("counts everything else as other", () => {
    for (const text of ["pragma optimize", "create index x on y (z)", "set lock_timeout = 5000", "", "   ", "42"]) expect(statementKindOf(text), text).toBe("other");
  });
});
