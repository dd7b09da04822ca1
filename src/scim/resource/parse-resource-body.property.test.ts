import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../json.js";
import { registry } from "../schema/registry.js";
import { Urn } from "../urns.js";
import { parseResourceBody } from "./parse-resource-body.js";
import { parseProjection, projectResource } from "./projection.js";

const user = registry.forType("User");
const group = registry.forType("Group");
const ext = Urn.EnterpriseUser;

const text = fc.oneof(fc.constantFrom("a", "Alex", "work", "x@y.test", "True"), fc.string({ minLength: 1, maxLength: 8 }));
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const plural = fc.array(
  fc.record({ value: text, type: maybe(fc.constantFrom("work", "home", "other")), primary: maybe(fc.constantFrom(true, false, "True", "false")), display: maybe(text) }, { requiredKeys: ["value"] }),
  { maxLength: 3 },
);
const userBody = fc.record(
  {
    userName: text,
    displayName: maybe(text),
    active: maybe(fc.constantFrom(true, false, "True", "False")),
    externalId: maybe(text),
    name: maybe(fc.record({ givenName: maybe(text), familyName: maybe(text), formatted: maybe(fc.constant(null)) })),
    emails: maybe(plural),
    phoneNumbers: maybe(plural),
    roles: maybe(plural),
    [ext]: maybe(fc.record({ employeeNumber: maybe(text), manager: maybe(fc.oneof(text, fc.record({ value: text, $ref: fc.constant(null) }))) })),
    meta: maybe(fc.constant({ resourceType: "User" })),
    groups: maybe(fc.constant([])),
    password: maybe(text),
  },
  { requiredKeys: ["userName"] },
);

function strip(body: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

function wire(attributes: JsonObject, id: string, extra: JsonObject): JsonObject {
  const schemas = [user.core.id, ...(attributes[ext] ? [ext] : [])];
  return { schemas, id, ...attributes, ...extra, meta: { resourceType: "User", created: "2026-01-01T00:00:00.000Z", lastModified: "2026-01-01T00:00:00.000Z", version: 'W/"1"' } };
}

describe("parseResourceBody properties", () => {
  it("round-trips a projected full User resource to the same stored attributes", () => {
    fc.assert(
      fc.property(userBody, (raw) => {
        const parsed = parseResourceBody(user, strip(raw), { mode: "create" });
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const full = wire(parsed.value.attributes, "u-1", { groups: [{ value: "g-1", $ref: "https://x/Groups/g-1", display: "G", type: "direct" }], password: "never-returned" });
        const projected = projectResource(user, full, { kind: "default" });
        expect(projected).not.toHaveProperty("password");
        const again = parseResourceBody(user, projected, { mode: "replace", current: { id: "u-1", attributes: parsed.value.attributes } });
        expect(again.ok && again.value).toEqual({ attributes: parsed.value.attributes });
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips a projected Group with its members", () => {
    const members = fc.uniqueArray(fc.record({ value: fc.string({ minLength: 1, maxLength: 6 }), type: fc.constantFrom("User" as const, "Group" as const) }), { selector: (member) => member.value, maxLength: 4 });
    fc.assert(
      fc.property(text, members, (displayName, list) => {
        fc.pre(displayName.trim() !== "");
        const full: JsonObject = {
          schemas: [Urn.Group],
          id: "g-1",
          displayName,
          members: list.map((member) => ({ value: member.value, $ref: `https://x/${member.type}s/${member.value}`, type: member.type, display: "shown" })),
          meta: { resourceType: "Group" },
        };
        const projected = projectResource(group, full, { kind: "default" });
        const parsed = parseResourceBody(group, projected, { mode: "replace", current: { id: "g-1", attributes: { displayName } } });
        expect(parsed.ok && parsed.value).toEqual({ attributes: { displayName }, members: list });
      }),
      { numRuns: 200 },
    );
  });

  it("is idempotent: parsing stored attributes again gives the same attributes", () => {
    fc.assert(
      fc.property(userBody, (raw) => {
        const parsed = parseResourceBody(user, strip(raw), { mode: "create" });
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const again = parseResourceBody(user, parsed.value.attributes, { mode: "create" });
        expect(again.ok && again.value.attributes).toEqual(parsed.value.attributes);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on arbitrary JSON bodies or projection parameters", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom("create" as const, "replace" as const), fc.string(), fc.string(), (body, mode, attributes, excludedAttributes) => {
        const context = mode === "create" ? { mode } : { mode, current: { id: "u-1", attributes: { userName: "a" } } };
        expect(typeof parseResourceBody(user, body, context).ok).toBe("boolean");
        expect(typeof parseResourceBody(group, body, context).ok).toBe("boolean");
        expect(typeof parseProjection(user, { attributes, excludedAttributes }).ok).toBe("boolean");
      }),
      { numRuns: 500 },
    );
  });
});
