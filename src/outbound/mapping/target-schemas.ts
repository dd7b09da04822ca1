import { isJsonObject, type JsonObject } from "../../scim/json.js";
import type { ResourceSchema } from "../../scim/schema/registry.js";

/**
 * The SCIM document for an attribute document: `schemas` first (the core URN, then the URN of every
 * extension that has attributes, in the schema's order; RFC 7643 §3), then the attributes.
 */
export function withSchemas(schema: ResourceSchema, attributes: JsonObject): JsonObject {
  const extensions = schema.extensions.filter((extension) => isJsonObject(attributes[extension.id])).map((extension) => extension.id);
  const { schemas: _ignored, ...rest } = attributes;
  return { schemas: [schema.core.id, ...extensions], ...rest };
}

/** The attribute document of a SCIM document: everything but `schemas`. */
export function withoutSchemas(document: JsonObject): JsonObject {
  const { schemas: _ignored, ...rest } = document;
  return rest;
}
