import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import type { ResolvedAttribute } from "../schema/registry.js";

/** Where a top-level attribute lives in a stored document: core attributes at the top, extension ones under their URN key. */
export type AttributeSlot = Pick<ResolvedAttribute, "schema" | "extension" | "attribute">;

/** The value of a top-level attribute in a stored document, or undefined when unassigned. */
export function readAttribute(document: JsonObject, slot: AttributeSlot): JsonValue | undefined {
  const container = slot.extension ? document[slot.schema] : document;
  return isJsonObject(container) ? container[slot.attribute.name] : undefined;
}

/** Sets (or with undefined, removes) a top-level attribute in place; an extension object left empty is removed. */
export function writeAttribute(document: JsonObject, slot: AttributeSlot, value: JsonValue | undefined): void {
  if (!slot.extension) {
    if (value === undefined) delete document[slot.attribute.name];
    else document[slot.attribute.name] = value;
    return;
  }
  const existing = document[slot.schema];
  const container: JsonObject = isJsonObject(existing) ? existing : {};
  if (value === undefined) delete container[slot.attribute.name];
  else container[slot.attribute.name] = value;
  if (Object.keys(container).length > 0) document[slot.schema] = container;
  else delete document[slot.schema];
}
