import { describe, expect, it } from "vitest";
import { equalityFilter } from "./equality-filter.js";
import { isPatchTooLarge, memberChanges, memberOperations } from "./member-operations.js";
import { TargetError } from "./target-error.js";

describe("memberChanges and memberOperations", () => {
  it("sends removals first, each id once", () => {
    expect(memberChanges(["a", "b", "a"], ["c", "c"])).toEqual([
      { op: "remove", id: "c" },
      { op: "add", id: "a" },
      { op: "add", id: "b" },
    ]);
  });

  it("writes removals as value filters (escaped) or as a value list", () => {
    const changes = memberChanges(["a"], ['x"y', "z"]);
    expect(memberOperations(changes, "valueFilter")).toEqual([
      { op: "remove", path: 'members[value eq "x\\"y"]' },
      { op: "remove", path: 'members[value eq "z"]' },
      { op: "add", path: "members", value: [{ value: "a" }] },
    ]);
    expect(memberOperations(changes, "valueList")).toEqual([
      { op: "remove", path: "members", value: [{ value: 'x"y' }, { value: "z" }] },
      { op: "add", path: "members", value: [{ value: "a" }] },
    ]);
  });
});

describe("isPatchTooLarge", () => {
  const rejected = (status: number, scimType?: string, detail?: string) =>
    new TargetError({ kind: status === 409 ? "conflict" : "rejected", method: "PATCH", path: "/Groups/g", summary: "x", fix: "x", maybeSent: true, status, scimType, detail });
  it("recognises 413, 400 tooMany and a 400 that speaks of a limit", () => {
    expect(isPatchTooLarge(rejected(413))).toBe(true);
    expect(isPatchTooLarge(rejected(400, "tooMany"))).toBe(true);
    expect(isPatchTooLarge(rejected(400, undefined, "Maximum of 100 operations exceeded"))).toBe(true);
    expect(isPatchTooLarge(rejected(400, "invalidValue", "member x does not exist"))).toBe(false);
    expect(isPatchTooLarge(rejected(409, undefined, "limit"))).toBe(false);
  });
});

describe("equalityFilter", () => {
  it("quotes and escapes the value as a JSON string and accepts extension paths", () => {
    expect(equalityFilter("userName", 'ann "the admin" \\ o\'neil\n')).toBe('userName eq "ann \\"the admin\\" \\\\ o\'neil\\n"');
    expect(equalityFilter("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "7")).toBe('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"');
    expect(equalityFilter("name.familyName", "Sales and Marketing")).toBe('name.familyName eq "Sales and Marketing"');
  });

  it("throws for an attribute that is not a path", () => {
    expect(() => equalityFilter('userName eq "x" or userName', "y")).toThrow(RangeError);
  });
});
