import { foldCase } from "../fold.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import { ok, type Result } from "../result.js";
import { coerceValue } from "../resource/coerce-value.js";
import { readAttribute, writeAttribute } from "../resource/document-access.js";
import { jsonEqual } from "../resource/json-equal.js";
import type { AttributeDefinition } from "../schema/attribute.js";
import { findSubAttribute } from "../schema/registry.js";
import { checkImmutable } from "./check-immutable.js";
import type { PatchTarget } from "./resolve-patch-path.js";
import { collapseElements, elementsOf, selectElements } from "./select-elements.js";

/**
 * Applies a remove (RFC 7644 §3.5.2.2) to a stored document in place. A value filter removes the selected
 * elements (or their sub-attribute); no match is a no-op. Without a filter a multi-valued attribute loses
 * all values, except when `value` lists elements: then only those go, matched by their `value`
 * sub-attribute (Entra's member removal, ENT-55, applied to every multi-valued attribute).
 */
export function removeValue(document: JsonObject, target: PatchTarget, value: JsonValue | undefined): Result<true> {
  const { resolved, filter, label } = target;
  const { attribute, subAttribute } = resolved;
  const before = readAttribute(document, resolved);
  if (before === undefined) return ok(true);
  if (filter !== undefined || (subAttribute !== undefined && attribute.multiValued)) {
    const elements = elementsOf(before);
    for (const index of selectElements(elements, filter)) {
      const element = elements[index] as JsonObject;
      if (!subAttribute) {
        elements[index] = {};
        continue;
      }
      const immutable = checkImmutable(subAttribute, element[subAttribute.name], undefined, label);
      if (!immutable.ok) return immutable;
      elements[index] = without(element, subAttribute.name);
    }
    writeAttribute(document, resolved, collapseElements(elements));
    return ok(true);
  }
  if (subAttribute !== undefined) {
    if (!isJsonObject(before)) return ok(true);
    const immutable = checkImmutable(subAttribute, before[subAttribute.name], undefined, label);
    if (!immutable.ok) return immutable;
    const rest = without(before, subAttribute.name);
    writeAttribute(document, resolved, Object.keys(rest).length > 0 ? rest : undefined);
    return ok(true);
  }
  if (attribute.multiValued && listsElements(value)) {
    const listed = coerceValue(attribute, value, label);
    if (!listed.ok) return listed;
    const items = elementsOf(listed.value);
    const kept = elementsOf(before).filter((element) => !items.some((item) => sameElement(attribute, element, item)));
    writeAttribute(document, resolved, collapseElements(kept));
    return ok(true);
  }
  const immutable = checkImmutable(attribute, before, undefined, label);
  if (!immutable.ok) return immutable;
  writeAttribute(document, resolved, undefined);
  return ok(true);
}

/** True when a remove's `value` names particular elements: a non-empty array, or a single object. */
export function listsElements(value: JsonValue | undefined): boolean {
  return (Array.isArray(value) && value.length > 0) || isJsonObject(value);
}

/** Elements are the same when their `value` sub-attributes are equal (per caseExact), or, without one, when they are identical. */
function sameElement(attribute: AttributeDefinition, element: JsonValue, item: JsonValue): boolean {
  const valueSub = findSubAttribute(attribute, "value");
  if (!valueSub || !isJsonObject(item) || item["value"] === undefined || !isJsonObject(element)) return jsonEqual(element, item);
  const left = element["value"];
  const right = item["value"];
  if (!valueSub.caseExact && typeof left === "string" && typeof right === "string") return foldCase(left) === foldCase(right);
  return jsonEqual(left, right);
}

function without(object: JsonObject, key: string): JsonObject {
  const copy = { ...object };
  delete copy[key];
  return copy;
}
