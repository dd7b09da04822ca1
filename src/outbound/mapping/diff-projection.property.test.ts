import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isJsonObject, type JsonObject, type JsonValue } from "../../scim/json.js";
import { applyPatch } from "../../scim/patch/apply-patch.js";
import { parseResourceBody } from "../../scim/resource/parse-resource-body.js";
import { registry } from "../../scim/schema/registry.js";
import { Urn } from "../../scim/urns.js";
import type { AttributeMapping } from "./attribute-mapping.js";
import { defaultUserMappings } from "./default-mappings.js";
import { diffProjection } from "./diff-projection.js";
import { canonicalJson, hashProjection } from "./hash-projection.js";
import { withSchemas, withoutSchemas } from "./target-schemas.js";
import { compiled } from "./testing.js";

const users = registry.forType("User");
const ext = Urn.EnterpriseUser;
const text = fc.constantFrom("a", "b", "Alex", "x@y.test", "Ünïcode", "  spaced ", "1");
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const element = fc.record({ value: text, type: fc.constantFrom("work", "home", "other"), display: optional(text), primary: optional(fc.boolean()) }, { requiredKeys: ["value"] });
/** Values of a multi-valued attribute; one value and type appear once (the body rules merge or refuse twins). */
const elements = (maxLength: number) => fc.uniqueArray(element, { maxLength, selector: (item) => `${item.value.toLowerCase()}|${item.type ?? ""}` });

/** A user's attribute document in Muster's normal form (as parseResourceBody stores it). */
const userDocument: fc.Arbitrary<JsonObject> = fc
  .record(
    {
      userName: fc.constantFrom("alex", "bo", "cy"),
      externalId: optional(text),
      title: optional(text),
      nickName: optional(text),
      active: optional(fc.boolean()),
      name: optional(fc.record({ givenName: text, familyName: text, middleName: text, formatted: text }, { requiredKeys: [] })),
      emails: optional(elements(3)),
      phoneNumbers: optional(elements(2)),
      roles: optional(elements(2)),
      [ext]: optional(fc.record({ department: text, costCenter: text, manager: fc.record({ value: text }) }, { requiredKeys: [] })),
    },
    { requiredKeys: ["userName"] },
  )
  .map((raw) => {
    const document = JSON.parse(JSON.stringify(raw)) as JsonObject;
    for (const key of ["emails", "phoneNumbers", "roles"]) {
      const list = document[key];
      // At most one primary, as the body rules require.
      if (Array.isArray(list)) list.forEach((item, index) => index > 0 && isJsonObject(item) && delete item["primary"]);
    }
    const parsed = parseResourceBody(users, document, { mode: "create" });
    if (!parsed.ok) throw new Error(parsed.error.detail);
    return parsed.value.attributes;
  });

/** Multi-valued attributes sorted, for comparing documents as the diff does (their values have no order). */
function normal(document: JsonObject): JsonValue {
  const sortLists = (value: JsonValue): JsonValue => {
    if (Array.isArray(value)) return value.map(sortLists).sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)));
    if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, sortLists(inner)]));
    return value;
  };
  return JSON.parse(canonicalJson(sortLists(document))) as JsonValue;
}

function applied(previous: JsonObject, operations: readonly JsonValue[]): JsonObject {
  if (operations.length === 0) return previous;
  const result = applyPatch(users, { id: "u", attributes: previous }, { schemas: [Urn.PatchOp], Operations: operations }, { relations: new Set() });
  if (!result.ok) throw new Error(`${result.error.detail}\n${JSON.stringify(operations)}`);
  return result.value.attributes;
}

function shuffleKeys(value: JsonValue, seed: number): JsonValue {
  if (Array.isArray(value)) return value.map((inner, index) => shuffleKeys(inner, seed + index));
  if (!isJsonObject(value)) return value;
  const entries = Object.entries(value).map(([key, inner], index) => [key, shuffleKeys(inner, seed * 31 + index)] as const);
  entries.sort((a, b) => ((a[0].length * 7 + seed) % 5) - ((b[0].length * 7 + seed) % 5) || (seed % 2 === 0 ? a[0].localeCompare(b[0]) : b[0].localeCompare(a[0])));
  return Object.fromEntries(entries);
}

const defaults = compiled("User", defaultUserMappings);

describe("diffProjection properties", () => {
  it("gives PATCH operations that turn the previous document into the next one in Muster's PATCH engine", () => {
    fc.assert(
      fc.property(userDocument, userDocument, (previous, next) => {
        const diff = diffProjection(defaults, withSchemas(users, previous), withSchemas(users, next));
        const result = applied(previous, diff.operations as unknown as JsonValue[]);
        expect(normal(result)).toEqual(normal(next));
        expect(diff.operations.length === 0).toBe(hashProjection(normal(previous)) === hashProjection(normal(next)));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps create-only values, and the operations still reproduce the document it reports", () => {
    const createOnly: AttributeMapping[] = [
      { target: "title", source: "title", applyOn: "create" },
      { target: "name.givenName", source: "name.givenName", applyOn: "create" },
      { target: 'emails[type eq "work"].value', source: 'emails[type eq "work"].value', applyOn: "create" },
      { target: `${ext}:department`, source: `${ext}:department`, applyOn: "create" },
    ];
    const mappings = compiled("User", [...defaultUserMappings.filter((mapping) => !["title", `${ext}:department`].includes(mapping.target)), ...createOnly]);
    fc.assert(
      fc.property(userDocument, userDocument, (previous, next) => {
        const diff = diffProjection(mappings, withSchemas(users, previous), withSchemas(users, next));
        const result = applied(previous, diff.operations as unknown as JsonValue[]);
        expect(normal(result)).toEqual(normal(withoutSchemas(diff.document)));
        const paths = diff.operations.map((operation) => operation.path);
        expect(paths).not.toContain("title");
        expect(paths).not.toContain("name.givenName");
        expect(paths).not.toContain(`${ext}:department`);
        expect(result["title"]).toEqual(previous["title"]);
        expect((result["name"] as JsonObject | undefined)?.["givenName"]).toEqual((previous["name"] as JsonObject | undefined)?.["givenName"]);
        const work = (document: JsonObject) => ((document["emails"] as JsonObject[] | undefined) ?? []).filter((email) => email["type"] === "work").map((email) => email["value"]);
        expect(work(result).sort()).toEqual(work(previous).sort());
      }),
      { numRuns: 300 },
    );
  });
});

describe("hashProjection", () => {
  it("is stable under key order and changes with any value", () => {
    fc.assert(
      fc.property(userDocument, fc.integer({ min: 0, max: 1000 }), (document, seed) => {
        const shuffled = shuffleKeys(document, seed);
        expect(hashProjection(shuffled)).toBe(hashProjection(document));
        expect(hashProjection({ ...document, userName: `${String(document["userName"])}!` })).not.toBe(hashProjection(document));
      }),
      { numRuns: 300 },
    );
    expect(hashProjection({ a: 1, b: [1, 2] })).toBe(hashProjection({ b: [1, 2], a: 1 }));
    expect(hashProjection({ a: 1, b: [1, 2] })).not.toBe(hashProjection({ a: 1, b: [2, 1] }));
    expect(hashProjection({ a: "1" })).not.toBe(hashProjection({ a: 1 }));
    expect(hashProjection({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
