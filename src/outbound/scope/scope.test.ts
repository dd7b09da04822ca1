import { describe, expect, it } from "vitest";
import { Urn } from "../../scim/urns.js";
import type { SourceResource } from "../mapping/source-resource.js";
import type { AppScope } from "./app-scope.js";
import { compileScope, type CompiledScope } from "./compile-scope.js";
import { groupInScope } from "./group-in-scope.js";
import { userInScope } from "./user-in-scope.js";

function scopeOf(scope: AppScope, scopingFilter?: string): CompiledScope {
  const compiled = compileScope({ scope, scopingFilter });
  if (!compiled.ok) throw new Error(compiled.error);
  return compiled.value;
}

const sales: SourceResource = {
  id: "u-sales",
  created: "2026-01-01T00:00:00.000Z",
  attributes: { userName: "s@example.com", active: true, emails: [{ value: "s@example.com", type: "work" }], [Urn.EnterpriseUser]: { department: "Sales" } },
};
const disabled: SourceResource = { id: "u-off", attributes: { userName: "o@example.com", active: false, [Urn.EnterpriseUser]: { department: "Sales" } } };
const noDepartment: SourceResource = { id: "u-none", attributes: { userName: "n@example.com", active: true } };
const assigned: AppScope = { kind: "assigned", groupIds: ["g-assigned"], userIds: ["u-direct"] };

describe("userInScope", () => {
  it("takes every user with scope all and no filter", () => {
    const all = scopeOf({ kind: "all" });
    for (const user of [sales, disabled, noDepartment]) expect(userInScope(user, [], all)).toEqual({ inScope: true });
  });

  it("with scope assigned, takes users assigned directly or as direct members of an assigned group", () => {
    const scope = scopeOf(assigned);
    expect(userInScope({ ...sales, id: "u-direct" }, [], scope)).toEqual({ inScope: true });
    expect(userInScope(sales, ["g-other", "g-assigned"], scope)).toEqual({ inScope: true });
    expect(userInScope(sales, new Set(["g-assigned"]), scope)).toEqual({ inScope: true });
  });

  it("with scope assigned, leaves out everyone else, including members of groups nested in an assigned group", () => {
    const scope = scopeOf(assigned);
    // g-nested is a member of g-assigned; its members are not direct members of g-assigned.
    expect(userInScope(sales, ["g-nested"], scope)).toEqual({ inScope: false, reason: "not assigned to the app, directly or as a direct member of an assigned group" });
    expect(userInScope(sales, [], scope)).toMatchObject({ inScope: false });
    expect(userInScope(sales, [], scopeOf({ kind: "assigned", groupIds: [], userIds: [] }))).toMatchObject({ inScope: false });
  });

  it("narrows scope all by the scoping filter, naming the clause that is false", () => {
    const scope = scopeOf({ kind: "all" }, `active eq true and ${Urn.EnterpriseUser}:department eq "Sales"`);
    expect(userInScope(sales, [], scope)).toEqual({ inScope: true });
    expect(userInScope(disabled, [], scope)).toEqual({ inScope: false, reason: "scoping filter: active eq true is false" });
    expect(userInScope(noDepartment, [], scope)).toEqual({ inScope: false, reason: `scoping filter: ${Urn.EnterpriseUser}:department eq "Sales" is false` });
  });

  it("narrows scope assigned by the scoping filter too, after the assignment check", () => {
    const scope = scopeOf(assigned, "active eq true");
    expect(userInScope(sales, ["g-assigned"], scope)).toEqual({ inScope: true });
    expect(userInScope(disabled, ["g-assigned"], scope)).toEqual({ inScope: false, reason: "scoping filter: active eq true is false" });
    expect(userInScope(disabled, [], scope)).toMatchObject({ reason: expect.stringContaining("not assigned") });
  });

  it("evaluates or, not, value filters, case-insensitive strings, id and meta as Muster's filters do", () => {
    expect(userInScope(sales, [], scopeOf({ kind: "all" }, 'emails[type eq "work" and value ew "@EXAMPLE.com"]'))).toEqual({ inScope: true });
    expect(userInScope(noDepartment, [], scopeOf({ kind: "all" }, 'department eq "Sales" or userName sw "N@"'))).toEqual({ inScope: true });
    expect(userInScope(sales, [], scopeOf({ kind: "all" }, 'not (department eq "Sales")'))).toEqual({ inScope: false, reason: `scoping filter: not (department eq "Sales") is false` });
    expect(userInScope(noDepartment, [], scopeOf({ kind: "all" }, "not (department pr)"))).toEqual({ inScope: true });
    expect(userInScope(sales, [], scopeOf({ kind: "all" }, 'id eq "u-sales" and meta.created lt "2026-06-01T00:00:00Z"'))).toEqual({ inScope: true });
    expect(userInScope(noDepartment, [], scopeOf({ kind: "all" }, 'meta.created gt "2020-01-01T00:00:00Z"'))).toMatchObject({ inScope: false });
  });

  it("treats an empty scoping filter as none", () => {
    expect(userInScope(disabled, [], scopeOf({ kind: "all" }, "  "))).toEqual({ inScope: true });
  });
});

describe("groupInScope", () => {
  it("takes every group with scope all, whatever the scoping filter (it is over users)", () => {
    expect(groupInScope({ id: "g-any" }, scopeOf({ kind: "all" }, "active eq true"))).toEqual({ inScope: true });
  });

  it("takes only assigned groups with scope assigned", () => {
    const scope = scopeOf(assigned);
    expect(groupInScope({ id: "g-assigned" }, scope)).toEqual({ inScope: true });
    expect(groupInScope({ id: "g-nested" }, scope)).toEqual({ inScope: false, reason: "not assigned to the app" });
  });
});

describe("compileScope", () => {
  it("refuses a filter that does not parse or names what users do not have, with the filter engine's message", () => {
    expect(compileScope({ scope: { kind: "all" }, scopingFilter: "active eq" })).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid filter at position/) });
    expect(compileScope({ scope: { kind: "all" }, scopingFilter: 'costcentre eq "x"' })).toEqual({ ok: false, error: 'Invalid filter: unknown attribute "costcentre" for User resources.' });
    expect(compileScope({ scope: { kind: "all" }, scopingFilter: "active gt true" })).toMatchObject({ ok: false, error: expect.stringContaining("boolean values have no order") });
    expect(compileScope({ scope: { kind: "all" }, scopingFilter: 'password eq "x"' })).toMatchObject({ ok: false, error: expect.stringContaining("never returned") });
  });
});
