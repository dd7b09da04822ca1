import { describe, expect, it } from "vitest";
import type { JsonObject } from "../json.js";
import { parseResourceBody } from "../resource/parse-resource-body.js";
import { attribute } from "../schema/attribute.js";
import { ResourceSchema } from "../schema/registry.js";
import { applyPatch } from "./apply-patch.js";

/** A resource type with immutable attributes, to check RFC 7643 §2.2 `immutable` generally (the core schemas have none outside members). */
const badgeSchema = new ResourceSchema(
  { id: "User", name: "User", endpoint: "/Users", description: "", schema: "urn:example:badge:1.0:User", schemaExtensions: [] },
  {
    id: "urn:example:badge:1.0:User",
    name: "User",
    description: "",
    attributes: [
      attribute("userName", "string", { required: true }),
      attribute("badge", "string", { mutability: "immutable" }),
      attribute("card", "complex", { subAttributes: [attribute("serial", "string", { mutability: "immutable" }), attribute("label", "string")] }),
    ],
  },
  [],
);

function patch(attributes: JsonObject, operation: unknown) {
  return applyPatch(badgeSchema, { id: "u-1", attributes }, { Operations: [operation] }, { relations: new Set() });
}

describe("immutable attributes", () => {
  it("may be added when they have no value, and repeated unchanged", () => {
    const added = patch({ userName: "a" }, { op: "add", path: "badge", value: "B-1" });
    expect(added.ok && added.value.attributes).toEqual({ userName: "a", badge: "B-1" });
    const same = patch({ userName: "a", badge: "B-1" }, { op: "replace", path: "badge", value: "B-1" });
    expect(same.ok && same.value.changed).toBe(false);
  });

  it("return mutability when a PATCH changes or removes a value they already have", () => {
    for (const operation of [
      { op: "replace", path: "badge", value: "B-2" },
      { op: "add", value: { badge: "B-2" } },
      { op: "remove", path: "badge" },
      { op: "replace", path: "card.serial", value: "S-2" },
      { op: "remove", path: "card.serial" },
    ]) {
      const result = patch({ userName: "a", badge: "B-1", card: { serial: "S-1" } }, operation);
      expect(!result.ok && result.error.scimType).toBe("mutability");
    }
  });

  it("leave other sub-attributes of the same complex value writable", () => {
    const result = patch({ userName: "a", card: { serial: "S-1" } }, { op: "add", path: "card.label", value: "L" });
    expect(result.ok && result.value.attributes["card"]).toEqual({ serial: "S-1", label: "L" });
  });

  it("return mutability when a PUT body changes them, and keep them when a PUT body omits them", () => {
    const current = { id: "u-1", attributes: { userName: "a", badge: "B-1" } };
    const changed = parseResourceBody(badgeSchema, { userName: "a", badge: "B-2" }, { mode: "replace", current });
    expect(!changed.ok && changed.error.scimType).toBe("mutability");
    const omitted = parseResourceBody(badgeSchema, { userName: "b" }, { mode: "replace", current });
    expect(omitted.ok && omitted.value.attributes).toEqual({ userName: "b", badge: "B-1" });
  });
});
