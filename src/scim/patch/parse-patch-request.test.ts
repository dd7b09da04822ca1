import { describe, expect, it } from "vitest";
import { Urn } from "../urns.js";
import { maxPatchOperations, parsePatchRequest } from "./parse-patch-request.js";

function operations(body: unknown) {
  const result = parsePatchRequest(body);
  if (!result.ok) throw new Error(`expected ok, got ${result.error.scimType}: ${result.error.detail}`);
  return result.value;
}

function failure(body: unknown) {
  const result = parsePatchRequest(body);
  if (result.ok) throw new Error("expected an error");
  return result.error;
}

describe("parsePatchRequest", () => {
  it.each(["Replace", "replace", "REPLACE"])("accepts the op %s in any case (ENT-30)", (op) => {
    expect(operations({ schemas: [Urn.PatchOp], Operations: [{ op, path: "userName", value: "a" }] })).toEqual([
      { index: 0, op: "replace", path: { attribute: "userName" }, pathText: "userName", value: "a" },
    ]);
  });

  it("matches the Operations, op, path and value member names case-insensitively (RFC-01)", () => {
    const parsed = operations({ operations: [{ OP: "add", Path: "nickName", VALUE: "Lexi" }] });
    expect(parsed).toEqual([{ index: 0, op: "add", path: { attribute: "nickName" }, pathText: "nickName", value: "Lexi" }]);
  });

  it("parses value-filter paths with the shared grammar", () => {
    const [operation] = operations({ Operations: [{ op: "remove", path: 'members[value eq "u-7c1e"]' }] });
    expect(operation?.path?.attribute).toBe("members");
    expect(operation?.path?.valueFilter).toEqual({ kind: "compare", path: { attribute: "value" }, op: "eq", value: "u-7c1e" });
  });

  it("reads a missing, null or empty path as no path", () => {
    for (const path of [undefined, null, ""]) {
      const [operation] = operations({ Operations: [{ op: "replace", path, value: { active: false } }] });
      expect(operation).not.toHaveProperty("path");
    }
  });

  it("returns invalidSyntax when the body is not an object", () => {
    expect(failure([]).scimType).toBe("invalidSyntax");
    expect(failure("x").scimType).toBe("invalidSyntax");
  });

  it("returns invalidSyntax when Operations is missing, empty or not an array", () => {
    for (const body of [{}, { Operations: [] }, { Operations: { op: "add" } }]) {
      const error = failure(body);
      expect(error.scimType).toBe("invalidSyntax");
      expect(error.detail).toContain("Operations");
    }
  });

  it("returns invalidSyntax when an operation is not an object or has an unknown op", () => {
    expect(failure({ Operations: ["add"] }).detail).toContain("Operations[0] must be an object");
    const unknown = failure({ Operations: [{ op: "add", path: "title", value: "x" }, { op: "move", path: "title" }] });
    expect(unknown.scimType).toBe("invalidSyntax");
    expect(unknown.detail).toBe('Operations[1].op must be "add", "remove" or "replace" (any case), got "move".');
  });

  it("returns invalidSyntax when a member name appears twice in different case", () => {
    expect(failure({ Operations: [{ op: "add", OP: "remove", path: "title" }] }).scimType).toBe("invalidSyntax");
  });

  it("returns invalidPath for a malformed path and invalidFilter for a bad filter inside it", () => {
    const path = failure({ Operations: [{ op: "remove", path: "name..givenName" }] });
    expect(path.scimType).toBe("invalidPath");
    expect(path.detail).toMatch(/^Operations\[0\]: /);
    expect(failure({ Operations: [{ op: "remove", path: 'emails[type eq "work"' }] }).scimType).toBe("invalidFilter");
    expect(failure({ Operations: [{ op: "remove", path: 42 }] }).scimType).toBe("invalidPath");
  });

  it("refuses more operations than the cap with a clear error", () => {
    const many = Array.from({ length: maxPatchOperations + 1 }, () => ({ op: "add", path: "title", value: "x" }));
    const error = failure({ Operations: many });
    expect(error.status).toBe(413);
    expect(error.detail).toContain(`at most ${maxPatchOperations} operations`);
    expect(operations({ Operations: many.slice(1) })).toHaveLength(maxPatchOperations);
  });
});
