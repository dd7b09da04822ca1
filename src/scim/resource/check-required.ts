import { scimError } from "../errors.js";
import type { JsonObject } from "../json.js";
import { ok, fail, type Result } from "../result.js";
import type { AttributeDefinition } from "../schema/attribute.js";
import type { ResourceSchema } from "../schema/registry.js";
import { readAttribute } from "./document-access.js";

/**
 * Checks that every client-writable required attribute (RFC 7643 §2.2 `required`, e.g. User.userName,
 * Group.displayName) has a value in a stored document; required strings must not be blank.
 * Attributes kept outside the document (`skip`, e.g. password or group members) are not checked.
 */
export function checkRequiredAttributes(schema: ResourceSchema, attributes: JsonObject, skip: ReadonlySet<string> = new Set()): Result<true> {
  const slots = [
    ...schema.core.attributes.map((attribute) => ({ schema: schema.core.id, extension: false, attribute })),
    ...schema.extensions
      .filter((extension) => attributes[extension.id] !== undefined)
      .flatMap((extension) => extension.attributes.map((attribute) => ({ schema: extension.id, extension: true, attribute }))),
  ];
  for (const slot of slots) {
    if (!slot.attribute.required || slot.attribute.mutability === "readOnly" || skip.has(slot.attribute.name)) continue;
    const value = readAttribute(attributes, slot);
    if (value === undefined || (typeof value === "string" && value.trim() === "")) {
      return fail(scimError("invalidValue", `${label(slot)} is required and must ${expectation(slot.attribute)}.`));
    }
  }
  return ok(true);
}

function label(slot: { schema: string; extension: boolean; attribute: AttributeDefinition }): string {
  return slot.extension ? `${slot.schema}:${slot.attribute.name}` : slot.attribute.name;
}

function expectation(attribute: AttributeDefinition): string {
  return attribute.type === "string" ? "be a non-empty string" : "have a value";
}
