import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import { parseResourceBody } from "../resource/parse-resource-body.js";
import { registry, type ResourceSchema } from "../schema/registry.js";
import { Urn } from "../urns.js";
import { applyPatch } from "./apply-patch.js";

const user = registry.forType("User");
const group = registry.forType("Group");
const ext = Urn.EnterpriseUser;
const forbiddenKeys = new Set(["id", "meta", "schemas", "password", "groups", "members"]);

/** Every way a stored document can break the body rules; empty when the document is valid. */
function violations(schema: ResourceSchema, doc: JsonObject): string[] {
  const found: string[] = [];
  const visit = (value: JsonValue, where: string): void => {
    if (value === null) found.push(`${where} is null`);
    else if (Array.isArray(value)) {
      if (value.length === 0) found.push(`${where} is an empty array`);
      if (value.filter((element) => isJsonObject(element) && element["primary"] === true).length > 1) found.push(`${where} has several primaries`);
      value.forEach((element, index) => visit(element, `${where}[${index}]`));
    } else if (isJsonObject(value)) {
      if (Object.keys(value).length === 0) found.push(`${where} is an empty object`);
      for (const [key, inner] of Object.entries(value)) {
        if (key.includes(".") || key.includes("[")) found.push(`${where}.${key} is a path-like key`);
        visit(inner, `${where}.${key}`);
      }
    }
  };
  for (const [key, value] of Object.entries(doc)) {
    const extension = schema.extension(key);
    if (extension) {
      if (key !== extension.id) found.push(`${key} is not the canonical URN`);
      if (!isJsonObject(value)) found.push(`${key} is not an object`);
      else for (const name of Object.keys(value)) if (schema.extensionAttribute(extension.id, name)?.name !== name) found.push(`${key}:${name} is not canonical`);
      visit(value, key);
      continue;
    }
    if (forbiddenKeys.has(key)) found.push(`${key} must not be stored`);
    if (schema.coreAttribute(key)?.name !== key) found.push(`${key} is not a canonical attribute name`);
    visit(value, key);
  }
  const reparsed = parseResourceBody(schema, doc, { mode: "create" });
  if (!reparsed.ok) found.push(`body rules: ${reparsed.error.detail}`);
  else if (JSON.stringify(reparsed.value.attributes) !== JSON.stringify(doc)) found.push("the document is not in normal form");
  return found;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const userPaths = [
  "userName", "displayName", "NICKNAME", "title", "active", "externalId", "name", "name.givenName", "name.familyName", "emails",
  'emails[type eq "work"].value', 'emails[type eq "work"]', "emails[primary eq true].value", 'emails[type eq "home"].primary',
  "emails.type", 'emails[value co "a"]', "phoneNumbers", 'phoneNumbers[type eq "mobile"].value', 'addresses[type eq "work"].formatted',
  "roles", 'roles[primary eq "True"].display', `${ext}:manager`, `${ext}:employeeNumber`, ext, "meta", "id", "groups", "password",
  "x509Certificates", "unknownAttr", 'emails[type eq "work" and primary eq true].display',
];
const pathlessKeys = ["displayName", "name.givenName", "active", `${ext}:department`, ext, "id", "meta", "schemas", "emails", "title"];

const text = fc.oneof(fc.constantFrom("a", "b", "work", "home", "True", "false", "x@y.test", ""), fc.string({ maxLength: 6 }));
const element = fc.record(
  { value: text, type: fc.constantFrom("work", "home", "mobile"), primary: fc.oneof(fc.boolean(), fc.constantFrom("true", "False")), display: text },
  { requiredKeys: [] },
);
const scalarValue = fc.oneof(text, fc.boolean(), fc.constant(null), fc.integer({ min: -3, max: 3 }));
const value: fc.Arbitrary<unknown> = fc.oneof(
  scalarValue,
  element,
  fc.array(element, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom(...pathlessKeys), fc.oneof(scalarValue, element, fc.array(element, { maxLength: 2 })), { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const operation = fc.record(
  { op: fc.constantFrom("add", "Replace", "remove", "ADD"), path: fc.constantFrom(...userPaths), value },
  { requiredKeys: ["op"] },
);
const request = fc.record({ schemas: fc.constant([Urn.PatchOp]), Operations: fc.array(operation, { minLength: 1, maxLength: 4 }) });

const start: JsonObject = {
  userName: "alex@x.test",
  name: { givenName: "Alex" },
  emails: [{ value: "alex@x.test", type: "work", primary: true }, { value: "h@x.test", type: "home" }],
  [ext]: { manager: { value: "m-1" } },
};

describe("applyPatch properties", () => {
  it("uses an invariant checker that flags each kind of broken document", () => {
    expect(violations(user, start)).toEqual([]);
    expect(violations(user, { ...start, title: null })).toContain("title is null");
    expect(violations(user, { ...start, roles: [] })).toContain("roles is an empty array");
    expect(violations(user, { ...start, emails: [{ value: "a", primary: true }, { value: "b", primary: true }] })).toContain("emails has several primaries");
    expect(violations(user, { ...start, "name.givenName": "x" })).toContain("name.givenName is not a canonical attribute name");
    expect(violations(user, { ...start, username: "x" })).toContain("username is not a canonical attribute name");
    expect(violations(user, { ...start, groups: [{ value: "g" }] })).toContain("groups must not be stored");
  });

  it("keeps every document it produces within the body rules, across sequences of requests", () => {
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 5 }), (requests) => {
        let attributes = deepFreeze(structuredClone(start));
        for (const body of requests) {
          const result = applyPatch(user, { id: "u-1", attributes }, body, { relations: new Set() });
          if (!result.ok) {
            expect(result.error.status).toBeGreaterThanOrEqual(400);
            continue;
          }
          expect(violations(user, result.value.attributes)).toEqual([]);
          attributes = deepFreeze(result.value.attributes);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("never throws on arbitrary JSON, returning a Result instead", () => {
    const anyOperation = fc.record({ op: fc.oneof(fc.constantFrom("add", "remove", "replace"), fc.jsonValue()), path: fc.oneof(fc.string(), fc.constantFrom(...userPaths), fc.jsonValue()), value: fc.jsonValue() }, { requiredKeys: [] });
    const anyBody = fc.oneof(fc.jsonValue(), fc.record({ Operations: fc.oneof(fc.array(anyOperation, { maxLength: 4 }), fc.jsonValue()) }));
    fc.assert(
      fc.property(anyBody, fc.boolean(), (body, asGroup) => {
        const result = asGroup
          ? applyPatch(group, { id: "g-1", attributes: { displayName: "G" } }, body, { relations: new Set(["members"]) })
          : applyPatch(user, { id: "u-1", attributes: start }, body, { relations: new Set() });
        expect(typeof result.ok).toBe("boolean");
        if (result.ok) expect(violations(asGroup ? group : user, result.value.attributes)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
