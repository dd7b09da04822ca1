import { describe, expect, it } from "vitest";
import { foldCase } from "../../scim/fold.js";
import { findSubAttribute, registry } from "../../scim/schema/registry.js";
import { Urn } from "../../scim/urns.js";
import { keyColumnOf, userKeyColumns, userKeyValues } from "./key-columns.js";

describe("user key columns", () => {
  it.each(userKeyColumns.map((key) => [key.column, key] as const))("%s holds a caseExact=false string attribute of User", (_, key) => {
    const schema = registry.forType("User");
    const top = key.schema === Urn.User ? schema.coreAttribute(key.attribute) : schema.extensions.find((extension) => extension.id === key.schema)?.attributes.find((attribute) => attribute.name === key.attribute);
    const leaf = "subAttribute" in key ? top && findSubAttribute(top, key.subAttribute) : top;
    expect(leaf?.type).toBe("string");
    expect(leaf?.caseExact).toBe(false);
    expect(leaf?.multiValued).toBe(false);
    expect(key.column).toMatch(/^[a-z_]+_key$/);
  });

  it("reads each value where the document keeps it and folds it with foldCase; empty or missing text is NULL", () => {
    const values = userKeyValues({
      userName: "a",
      displayName: "",
      name: { givenName: "I\u0307stanbul", familyName: "ÖZTÜRK" },
    });
    expect(values).toEqual({ given_name_key: foldCase("I\u0307stanbul"), family_name_key: "öztürk", display_name_key: null });
    expect(userKeyValues({ userName: "a", name: { familyName: 7 } as never })).toEqual({ given_name_key: null, family_name_key: null, display_name_key: null });
  });

  it("finds the column of a listed attribute and nothing for others", () => {
    expect(keyColumnOf(Urn.User, "name", "familyName")?.column).toBe("family_name_key");
    expect(keyColumnOf(Urn.User, "displayName", undefined)?.column).toBe("display_name_key");
    expect(keyColumnOf(Urn.EnterpriseUser, "department", undefined)).toBeUndefined();
    expect(keyColumnOf(Urn.User, "name", "middleName")).toBeUndefined();
    expect(keyColumnOf(Urn.User, "displayName", "x")).toBeUndefined();
  });
});
