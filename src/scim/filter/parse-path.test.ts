import { describe, expect, it } from "vitest";
import type { FilterNode } from "./ast.js";
import { parseAttributeList, parseAttributePath, parsePatchPath } from "./parse-path.js";

const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const eq = (attribute: string, value: string): FilterNode => ({ kind: "compare", path: { attribute }, op: "eq", value });

function patchError(text: string) {
  const result = parsePatchPath(text);
  if (result.ok) throw new Error(`expected ${text} to be rejected, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe("parsePatchPath", () => {
  it("parses a plain attribute", () => {
    expect(parsePatchPath("displayName")).toEqual({ ok: true, value: { attribute: "displayName" } });
  });

  it("parses a sub-attribute path, keeping the client's case (RFC-01 NAME.GIVENNAME)", () => {
    expect(parsePatchPath("name.givenName")).toEqual({ ok: true, value: { attribute: "name", subAttribute: "givenName" } });
    expect(parsePatchPath("NAME.GIVENNAME")).toEqual({ ok: true, value: { attribute: "NAME", subAttribute: "GIVENNAME" } });
  });

  it("parses members[value eq \"2819c223\"] (ENT-55 with the flag, Okta)", () => {
    expect(parsePatchPath('members[value eq "2819c223"]')).toEqual({ ok: true, value: { attribute: "members", valueFilter: eq("value", "2819c223") } });
  });

  it("parses emails[type eq \"work\"].value (ENT-32)", () => {
    expect(parsePatchPath('emails[type eq "work"].value')).toEqual({
      ok: true,
      value: { attribute: "emails", valueFilter: eq("type", "work"), subAttribute: "value" },
    });
  });

  it("parses addresses[type eq \"other\"].Formatted with the capitalised sub-attribute Entra sends", () => {
    expect(parsePatchPath('addresses[type eq "other"].Formatted')).toEqual({
      ok: true,
      value: { attribute: "addresses", valueFilter: eq("type", "other"), subAttribute: "Formatted" },
    });
  });

  it("parses a value filter on primary (ENT-32 [primary eq true])", () => {
    expect(parsePatchPath("phoneNumbers[primary eq true].value")).toEqual({
      ok: true,
      value: {
        attribute: "phoneNumbers",
        valueFilter: { kind: "compare", path: { attribute: "primary" }, op: "eq", value: true },
        subAttribute: "value",
      },
    });
  });

  it("parses an extension attribute path (ENT-34)", () => {
    expect(parsePatchPath(`${enterprise}:manager`)).toEqual({ ok: true, value: { uri: enterprise, attribute: "manager" } });
    expect(parsePatchPath(`${enterprise}:employeeNumber`)).toEqual({ ok: true, value: { uri: enterprise, attribute: "employeeNumber" } });
  });

  it("parses a bare extension URN as uri + last segment", () => {
    expect(parsePatchPath(enterprise)).toEqual({
      ok: true,
      value: { uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0", attribute: "User" },
    });
  });

  it("parses a value filter with and/or inside the brackets", () => {
    const result = parsePatchPath('emails[type eq "work" and primary eq true]');
    expect(result.ok && result.value.valueFilter?.kind).toBe("and");
  });

  it("returns invalidPath with position for a path with trailing text", () => {
    const error = patchError("name givenName");
    expect(error.scimType).toBe("invalidPath");
    expect(error.detail).toBe('Invalid path at position 6: expected the end of the path, found "givenName".');
  });

  it("returns invalidPath for an invalid attribute name", () => {
    expect(patchError("name..givenName").detail).toMatch(/^Invalid path at position 1: expected an attribute path, but "name\.\.givenName" is not an attribute path/);
    expect(patchError('"displayName"').detail).toBe('Invalid path at position 1: expected an attribute path, found the string "displayName".');
  });

  it("returns invalidPath for an empty path", () => {
    expect(patchError("").detail).toBe("Invalid path: the path is empty.");
    expect(patchError("").scimType).toBe("invalidPath");
  });

  it("returns invalidPath when a value filter follows a sub-attribute", () => {
    expect(patchError('name.givenName[value eq "x"]').detail).toBe(
      'Invalid path at position 15: a value filter "[…]" must follow the attribute name directly, not the sub-attribute "givenName".',
    );
  });

  it("returns invalidPath for a bad sub-attribute after the brackets", () => {
    expect(patchError('emails[type eq "work"].value.x').detail).toBe('Invalid path at position 23: expected a sub-attribute name after "]", found ".value.x".');
  });

  it("returns invalidPath for a comparison after the brackets, which PATCH paths do not allow", () => {
    expect(patchError('emails[type eq "work"].value eq "x"').detail).toBe('Invalid path at position 30: expected the end of the path, found "eq".');
  });

  it("returns invalidFilter with position for a bad filter inside the brackets", () => {
    const error = patchError('members[value eq 2819c223]');
    expect(error.scimType).toBe("invalidFilter");
    expect(error.detail).toBe('Invalid filter in path at position 18: expected a value (a "string", a number, true, false or null) after "eq", found "2819c223".');
  });

  it("returns invalidFilter when the brackets are not closed", () => {
    const error = patchError('members[value eq "x"');
    expect(error.scimType).toBe("invalidFilter");
    expect(error.detail).toBe('Invalid filter in path at position 21: expected "and", "or" or "]", found the end of the path.');
  });

  it("returns invalidFilter for nested value filters inside the brackets", () => {
    expect(patchError('emails[x[y pr]]').scimType).toBe("invalidFilter");
  });

  it("returns invalidPath for a path longer than 8192 characters", () => {
    expect(patchError(`a${"b".repeat(9000)}`).detail).toBe("Invalid path: it is 9001 characters long; at most 8192 are accepted.");
  });

  it("returns invalidPath when given something other than a string", () => {
    expect(patchError(null as unknown as string).detail).toBe("Invalid path: the path must be a string.");
  });
});

describe("parseAttributePath", () => {
  it("parses attr, attr.sub and uri:attr.sub", () => {
    expect(parseAttributePath("userName")).toEqual({ ok: true, value: { attribute: "userName" } });
    expect(parseAttributePath("name.familyName")).toEqual({ ok: true, value: { attribute: "name", subAttribute: "familyName" } });
    expect(parseAttributePath(`${enterprise}:manager.displayName`)).toEqual({
      ok: true,
      value: { uri: enterprise, attribute: "manager", subAttribute: "displayName" },
    });
  });

  it("parses a bare schema URN as uri + last segment", () => {
    expect(parseAttributePath(enterprise)).toEqual({ ok: true, value: { uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0", attribute: "User" } });
  });

  it("ignores surrounding whitespace", () => {
    expect(parseAttributePath("  members ")).toEqual({ ok: true, value: { attribute: "members" } });
  });

  it("returns invalidPath for a value filter, which attribute lists do not allow", () => {
    const result = parseAttributePath('emails[type eq "work"]');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.scimType).toBe("invalidPath");
      expect(result.error.detail).toBe('Invalid path at position 7: expected the end of the path, found "[".');
    }
  });

  it("returns invalidPath for an empty entry", () => {
    const result = parseAttributePath("");
    expect(!result.ok && result.error.detail).toBe("Invalid attribute path: the attribute path is empty.");
  });
});

describe("parseAttributeList", () => {
  it("splits a comma-separated list into paths", () => {
    expect(parseAttributeList("userName, name.givenName,members")).toEqual({
      ok: true,
      value: [{ attribute: "userName" }, { attribute: "name", subAttribute: "givenName" }, { attribute: "members" }],
    });
  });

  it("returns invalidPath naming the entry and its position when one entry is bad", () => {
    const result = parseAttributeList("userName,,title");
    expect(!result.ok && result.error.scimType).toBe("invalidPath");
    expect(!result.ok && result.error.detail).toBe(
      'Invalid attribute list entry 2 ("", starting at position 10): Invalid attribute path: the attribute path is empty.',
    );
  });
});
