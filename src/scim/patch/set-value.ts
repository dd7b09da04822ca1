import { scimError } from "../errors.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import { fail, ok, type Result } from "../result.js";
import { coerceElement, coerceValue } from "../resource/coerce-value.js";
import { readAttribute, writeAttribute } from "../resource/document-access.js";
import { jsonEqual } from "../resource/json-equal.js";
import type { AttributeDefinition } from "../schema/attribute.js";
import { checkImmutable } from "./check-immutable.js";
import { removeValue } from "./remove-value.js";
import type { PatchTarget } from "./resolve-patch-path.js";
import { clearOtherPrimaries, collapseElements, creationTerms, elementsOf, selectElements } from "./select-elements.js";

/**
 * Applies an add (RFC 7644 §3.5.2.1) or replace (§3.5.2.3) to a stored document in place. Multi-valued:
 * add appends values not already present, replace swaps all values. Single-valued: both set; for a
 * complex attribute both merge sub-attributes (§3.5.2.3: unnamed sub-attributes are left unchanged).
 * A value filter updates the selected elements, or creates the element its `eq` terms describe (ENT-32).
 */
export function setValue(document: JsonObject, op: "add" | "replace", target: PatchTarget, value: JsonValue | undefined): Result<true> {
  const { attribute, subAttribute } = target.resolved;
  if (target.filter !== undefined || (subAttribute !== undefined && attribute.multiValued)) return setInElements(document, op, target, value);
  if (subAttribute !== undefined) return setSubAttribute(document, op, target, subAttribute, value);
  return setWholeAttribute(document, op, target, value);
}

function setWholeAttribute(document: JsonObject, op: "add" | "replace", target: PatchTarget, value: JsonValue | undefined): Result<true> {
  const { resolved, label } = target;
  const { attribute } = resolved;
  const coerced = coerceValue(attribute, value, label);
  if (!coerced.ok) return coerced;
  const incoming = coerced.value;
  if (incoming === undefined) return op === "add" ? ok(true) : removeValue(document, target, undefined);
  const before = readAttribute(document, resolved);
  let after: JsonValue;
  if (attribute.multiValued && Array.isArray(incoming) && op === "add") {
    const elements = elementsOf(before);
    const touched = new Set<JsonValue>();
    for (const element of incoming) {
      const existing = elements.find((candidate) => jsonEqual(candidate, element));
      if (existing !== undefined) touched.add(existing);
      else {
        elements.push(element);
        touched.add(element);
      }
    }
    clearOtherPrimaries(elements, touched);
    after = elements;
  } else if (!attribute.multiValued && isJsonObject(before) && isJsonObject(incoming)) {
    after = mergeComplex(before, incoming);
  } else {
    after = incoming;
  }
  const immutable = checkImmutable(attribute, before, after, label);
  if (!immutable.ok) return immutable;
  writeAttribute(document, resolved, after);
  return ok(true);
}

function setSubAttribute(document: JsonObject, op: "add" | "replace", target: PatchTarget, sub: AttributeDefinition, value: JsonValue | undefined): Result<true> {
  const coerced = coerceValue(sub, value, target.label);
  if (!coerced.ok) return coerced;
  if (coerced.value === undefined) return op === "add" ? ok(true) : removeValue(document, target, undefined);
  const before = readAttribute(document, target.resolved);
  const parent: JsonObject = isJsonObject(before) ? { ...before } : {};
  const immutable = checkImmutable(sub, parent[sub.name], coerced.value, target.label);
  if (!immutable.ok) return immutable;
  parent[sub.name] = coerced.value;
  writeAttribute(document, target.resolved, parent);
  return ok(true);
}

function setInElements(document: JsonObject, op: "add" | "replace", target: PatchTarget, value: JsonValue | undefined): Result<true> {
  const { resolved, filter, label } = target;
  const { attribute, subAttribute } = resolved;
  const coerced = subAttribute ? coerceValue(subAttribute, value, label) : coerceElement(attribute, value, label);
  if (!coerced.ok) return coerced;
  const patch = coerced.value;
  if (patch === undefined) return op === "add" ? ok(true) : removeValue(document, target, undefined);
  const content = subAttribute ? { [subAttribute.name]: patch } : isJsonObject(patch) ? patch : undefined;
  if (!content) return fail(scimError("invalidValue", `${label} needs an object value.`));
  const elements = elementsOf(readAttribute(document, resolved));
  const selected = selectElements(elements, filter);
  const touched = new Set<JsonValue>();
  if (selected.length === 0) {
    const terms = filter === undefined ? {} : creationTerms(filter);
    if (!terms) {
      return fail(scimError("noTarget", `${label} matches no value of ${attribute.name}, and no value can be created from the filter (only "eq" comparisons joined by "and" describe one).`));
    }
    const created = coerceElement(attribute, { ...terms, ...content }, label);
    if (!created.ok) return created;
    if (created.value !== undefined) {
      elements.push(created.value);
      touched.add(created.value);
    }
  }
  for (const index of selected) {
    const element = elements[index] as JsonObject;
    if (subAttribute) {
      const immutable = checkImmutable(subAttribute, element[subAttribute.name], patch, label);
      if (!immutable.ok) return immutable;
    }
    // RFC 7644 §3.5.2.3: replace swaps each selected element; add (and any sub-attribute path) merges into it.
    const updated = !subAttribute && op === "replace" ? { ...content } : { ...element, ...content };
    elements[index] = updated;
    touched.add(updated);
  }
  clearOtherPrimaries(elements, touched);
  writeAttribute(document, resolved, collapseElements(elements));
  return ok(true);
}

/** Merges sub-attributes (RFC 7644 §3.5.2.1/§3.5.2.3); a new `value` drops the old `$ref`, which pointed at the old value's resource. */
function mergeComplex(before: JsonObject, incoming: JsonObject): JsonObject {
  const merged = { ...before, ...incoming };
  if (incoming["value"] !== undefined && !jsonEqual(incoming["value"], before["value"]) && incoming["$ref"] === undefined) delete merged["$ref"];
  return merged;
}
