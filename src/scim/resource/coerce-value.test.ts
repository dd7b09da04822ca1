import { describe, expect, it } from "vitest";
import { attribute } from "../schema/attribute.js";
import { registry } from "../schema/registry.js";
import { Urn } from "../urns.js";
import { coerceElement, coerceValue } from "./coerce-value.js";

const user = registry.forType("User");
const def = (name: string) => {
  const found = user.coreAttribute(name);
  if (!found) throw new Error(name);
  return found;
};
const manager = user.extensionAttribute(Urn.EnterpriseUser, "manager")!;

function value(result: ReturnType<typeof coerceValue>) {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.detail}`);
  return result.value;
}

function error(result: ReturnType<typeof coerceValue>) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe("coerceValue scalars", () => {
  it("accepts strings as sent and turns finite numbers into strings", () => {
    expect(value(coerceValue(def("title"), " VP ", "title"))).toBe(" VP ");
    expect(value(coerceValue(def("title"), 42, "title"))).toBe("42");
  });

  it("returns invalidValue for a non-string given to a string attribute", () => {
    const failure = error(coerceValue(def("title"), { a: 1 }, "title"));
    expect(failure.scimType).toBe("invalidValue");
    expect(failure.detail).toBe('title must be a string, got {"a":1}.');
  });

  it.each([
    ["True", true],
    ["False", false],
    ["TRUE", true],
    ["false", false],
    [true, true],
    [false, false],
  ])("coerces %j to the boolean %j (ENT-36, RFC-16)", (input, expected) => {
    expect(value(coerceValue(def("active"), input, "active"))).toBe(expected);
  });

  it.each(["yes", "1", "", 1, 0])("returns invalidValue for the boolean %j", (input) => {
    const failure = error(coerceValue(def("active"), input, "active"));
    expect(failure.scimType).toBe("invalidValue");
    expect(failure.detail).toContain("active must be a boolean");
  });

  it("validates integer, decimal, dateTime and binary values", () => {
    const integer = attribute("n", "integer");
    const decimal = attribute("d", "decimal");
    const dateTime = attribute("t", "dateTime");
    expect(value(coerceValue(integer, 7, "n"))).toBe(7);
    expect(error(coerceValue(integer, 7.5, "n")).detail).toBe("n must be an integer, got 7.5.");
    expect(error(coerceValue(integer, "7", "n")).scimType).toBe("invalidValue");
    expect(value(coerceValue(decimal, 7.5, "d"))).toBe(7.5);
    expect(value(coerceValue(dateTime, "2026-03-01T10:15:30+01:00", "t"))).toBe("2026-03-01T10:15:30+01:00");
    expect(error(coerceValue(dateTime, "2026-02-30T10:15:30Z", "t")).scimType).toBe("invalidValue");
    expect(error(coerceValue(dateTime, "yesterday", "t")).scimType).toBe("invalidValue");
    const certificate = def("x509Certificates");
    expect(value(coerceValue(certificate, [{ value: "TUlJQw==" }], "x509Certificates"))).toEqual([{ value: "TUlJQw==" }]);
    expect(error(coerceValue(certificate, [{ value: "not base64!" }], "x509Certificates")).detail).toBe(
      'x509Certificates[0].value must be a base64 string, got "not base64!".',
    );
  });
});

describe("coerceValue shapes", () => {
  it("treats null and empty arrays as unassigned", () => {
    expect(value(coerceValue(def("title"), null, "title"))).toBeUndefined();
    expect(value(coerceValue(def("emails"), [], "emails"))).toBeUndefined();
    expect(value(coerceValue(manager, [], "manager"))).toBeUndefined();
  });

  it("unwraps a one-element array given for a single-valued attribute (Entra's old manager form, ENT-34)", () => {
    expect(value(coerceValue(manager, [{ $ref: null, value: "m-1" }], "manager"))).toEqual({ value: "m-1" });
  });

  it("returns invalidValue when several values are given for a single-valued attribute", () => {
    expect(error(coerceValue(def("title"), ["a", "b"], "title")).detail).toBe("title is single-valued, but 2 values were given.");
  });

  it("turns a bare scalar into { value } for a complex attribute with a value sub-attribute (ENT-34)", () => {
    expect(value(coerceValue(manager, "7d1f-c2", "manager"))).toEqual({ value: "7d1f-c2" });
  });

  it("returns invalidValue for a scalar given to a complex attribute without a value sub-attribute", () => {
    expect(error(coerceValue(def("name"), "Alex", "name")).detail).toContain("name must be an object with the sub-attributes formatted");
  });

  it("wraps a single object given for a multi-valued attribute", () => {
    expect(value(coerceValue(def("emails"), { value: "a@x.test" }, "emails"))).toEqual([{ value: "a@x.test" }]);
  });

  it("renames sub-attributes canonically, drops null ones and ignores readOnly ones", () => {
    const result = value(coerceValue(def("emails"), [{ VALUE: "a@x.test", Type: "work", display: null, PRIMARY: "True" }], "emails"));
    expect(result).toEqual([{ value: "a@x.test", type: "work", primary: true }]);
    expect(value(coerceValue(manager, { value: "m", displayName: "Boss", $ref: null }, "manager"))).toEqual({ value: "m" });
  });

  it("returns invalidValue naming an unknown sub-attribute", () => {
    expect(error(coerceValue(def("name"), { nick: "x" }, "name")).detail).toBe(
      'name has no sub-attribute "nick"; expected one of formatted, familyName, givenName, middleName, honorificPrefix, honorificSuffix.',
    );
  });

  it("returns invalidValue when a sub-attribute is given twice in different case", () => {
    expect(error(coerceValue(def("name"), { givenName: "a", GIVENNAME: "b" }, "name")).scimType).toBe("invalidValue");
  });

  it("names the element and sub-attribute in errors", () => {
    const failure = error(coerceValue(def("emails"), [{ value: "a" }, { value: "b", primary: "yes" }], "emails"));
    expect(failure.detail).toBe('emails[1].primary must be a boolean, got "yes".');
  });

  it("collapses identical elements", () => {
    const result = value(coerceValue(def("emails"), [{ value: "a", type: "work" }, { type: "work", value: "a" }, { value: "b" }], "emails"));
    expect(result).toEqual([{ value: "a", type: "work" }, { value: "b" }]);
  });

  it("merges elements with the same value and type, keeping primary when either has it (OKT-17)", () => {
    const result = value(coerceValue(def("emails"), [{ value: "A@x.test", type: "work", primary: true }, { value: "a@x.test", type: "Work", display: "A" }, { value: "a@x.test", type: "home" }], "emails"));
    expect(result).toEqual([{ value: "A@x.test", type: "work", primary: true, display: "A" }, { value: "a@x.test", type: "home" }]);
    expect(value(coerceValue(def("emails"), [{ value: "a", type: "work" }, { value: "a", type: "work", primary: true }], "emails"))).toEqual([{ value: "a", type: "work", primary: true }]);
  });

  it("returns invalidValue naming the value when two elements with the same value and type disagree", () => {
    const failure = error(coerceValue(def("emails"), [{ value: "a", type: "work", display: "A" }, { value: "a", type: "work", display: "B" }], "emails"));
    expect(failure.scimType).toBe("invalidValue");
    expect(failure.detail).toBe('emails has the value "a" and type "work" twice with different display ("A" and "B"); send each value once.');
  });

  it("returns invalidValue when more than one element is primary (RFC 7643 §2.4)", () => {
    const failure = error(coerceValue(def("emails"), [{ value: "a", primary: true }, { value: "b", primary: "TRUE" }], "emails"));
    expect(failure.scimType).toBe("invalidValue");
    expect(failure.detail).toContain("emails has 2 values with primary true");
  });

  it("treats a complex value whose sub-attributes are all null as unassigned", () => {
    expect(value(coerceValue(def("name"), { givenName: null }, "name"))).toBeUndefined();
    expect(value(coerceValue(def("emails"), [{ value: null }], "emails"))).toBeUndefined();
  });

  it("returns invalidValue for nesting deeper than the schema allows", () => {
    expect(error(coerceValue(def("emails"), [[{ value: "a" }]], "emails")).scimType).toBe("invalidValue");
    expect(error(coerceValue(def("name"), { givenName: { deeper: "x" } }, "name")).detail).toContain("name.givenName must be a string");
  });

  it("coerceElement checks one element without the multi-valued shape rules", () => {
    expect(value(coerceElement(def("emails"), { value: "a" }, "emails[0]"))).toEqual({ value: "a" });
    expect(error(coerceElement(def("emails"), [{ value: "a" }], "emails[0]")).scimType).toBe("invalidValue");
  });
});
