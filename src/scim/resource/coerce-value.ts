import { scimError } from "../errors.js";
import { foldCase } from "../fold.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import { fail, ok, type Result } from "../result.js";
import type { AttributeDefinition } from "../schema/attribute.js";
import { findSubAttribute } from "../schema/registry.js";
import { coerceScalar } from "./coerce-scalar.js";
import { describeJson } from "./describe-json.js";
import { jsonEqual } from "./json-equal.js";

/**
 * Validates and normalises a value for an attribute (RFC 7643 §2.3–2.4). `undefined` in the result means
 * unassigned (RFC 7643 §2.5: null, [] and {} are all unassigned). Shape rules, driven only by the schema:
 * a one-element array for a single-valued attribute is unwrapped (an empty one is unassigned), a lone
 * value for a multi-valued attribute is wrapped, identical elements collapse, elements with the same
 * value and type merge into one, and at most one element may have `primary: true`. `label` names the
 * attribute in error details, e.g. `emails`.
 */
export function coerceValue(definition: AttributeDefinition, value: unknown, label: string): Result<JsonValue | undefined> {
  if (value === null || value === undefined) return ok(undefined);
  if (definition.multiValued) return coerceMultiValued(definition, value, label);
  if (Array.isArray(value)) {
    if (value.length === 0) return ok(undefined);
    if (value.length > 1) {
      return fail(scimError("invalidValue", `${label} is single-valued, but ${value.length} values were given.`));
    }
    return coerceElement(definition, value[0], label);
  }
  return coerceElement(definition, value, label);
}

/**
 * Validates one value of the attribute's type, ignoring `multiValued`: one element of a multi-valued
 * attribute, or the value of a single-valued one. Complex values: sub-attribute names are matched
 * case-insensitively and renamed canonically, unknown ones are rejected, null ones dropped, readOnly
 * ones (server-computed, RFC 7644 §3.5.1) ignored; a bare scalar becomes `{ value: scalar }` when the
 * attribute has a `value` sub-attribute (Entra sends `manager` as a bare id, ENT-34).
 */
export function coerceElement(definition: AttributeDefinition, value: unknown, label: string): Result<JsonValue | undefined> {
  if (value === null || value === undefined) return ok(undefined);
  if (definition.type !== "complex") return coerceScalar(definition.type, value, label);
  return coerceComplex(definition, value, label);
}

function coerceMultiValued(definition: AttributeDefinition, value: unknown, label: string): Result<JsonValue | undefined> {
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const elements: JsonValue[] = [];
  for (const [index, item] of items.entries()) {
    const coerced = coerceElement(definition, item, Array.isArray(value) ? `${label}[${index}]` : label);
    if (!coerced.ok) return coerced;
    const element = coerced.value;
    if (element === undefined || elements.some((existing) => jsonEqual(existing, element))) continue;
    const twin = elements.findIndex((existing) => sameValueAndType(definition, existing, element));
    if (twin === -1) {
      elements.push(element);
      continue;
    }
    const merged = mergeTwins(elements[twin] as JsonObject, element as JsonObject, label);
    if (!merged.ok) return merged;
    elements[twin] = merged.value;
  }
  if (elements.length === 0) return ok(undefined);
  const primaries = elements.filter((element) => isJsonObject(element) && element["primary"] === true).length;
  if (primaries > 1) {
    return fail(scimError("invalidValue", `${label} has ${primaries} values with primary true; at most one value may be primary (RFC 7643 §2.4).`));
  }
  return ok(elements);
}

/**
 * Whether two elements carry the same `value` and `type` (compared per each sub-attribute's caseExact).
 * Okta asks servers never to return such a pair twice (OKT-17), so they are one value.
 */
function sameValueAndType(definition: AttributeDefinition, left: JsonValue, right: JsonValue): boolean {
  if (!isJsonObject(left) || !isJsonObject(right) || left["value"] === undefined) return false;
  return ["value", "type"].every((name) => sameSubValue(findSubAttribute(definition, name), left[name], right[name]));
}

function sameSubValue(sub: AttributeDefinition | undefined, left: JsonValue | undefined, right: JsonValue | undefined): boolean {
  if (typeof left === "string" && typeof right === "string" && sub && !sub.caseExact) return foldCase(left) === foldCase(right);
  return left === undefined || right === undefined ? left === right : jsonEqual(left, right);
}

/** One element from two with the same value and type: the first's spelling, `primary` if either is, other sub-attributes combined. */
function mergeTwins(first: JsonObject, second: JsonObject, label: string): Result<JsonObject> {
  const merged: JsonObject = { ...first };
  for (const [name, value] of Object.entries(second)) {
    if (name === "value" || name === "type") continue;
    if (name === "primary") {
      if (value === true) merged["primary"] = true;
      else if (merged["primary"] === undefined) merged["primary"] = value;
      continue;
    }
    const existing = merged[name];
    if (existing !== undefined && !jsonEqual(existing, value)) {
      const type = first["type"] === undefined ? "" : ` and type ${describeJson(first["type"])}`;
      return fail(
        scimError("invalidValue", `${label} has the value ${describeJson(first["value"])}${type} twice with different ${name} (${describeJson(existing)} and ${describeJson(value)}); send each value once.`),
      );
    }
    merged[name] = value;
  }
  return ok(merged);
}

function coerceComplex(definition: AttributeDefinition, value: unknown, label: string): Result<JsonValue | undefined> {
  const subAttributes = definition.subAttributes ?? [];
  let input: JsonObject;
  if (isJsonObject(value)) {
    input = value;
  } else if (isScalar(value) && findSubAttribute(definition, "value")) {
    input = { value };
  } else {
    const names = subAttributes.map((sub) => sub.name).join(", ");
    return fail(scimError("invalidValue", `${label} must be an object with the sub-attributes ${names}, got ${describeJson(value)}.`));
  }
  const output: JsonObject = {};
  const seen = new Set<string>();
  for (const [key, raw] of Object.entries(input)) {
    const sub = findSubAttribute(definition, key);
    if (!sub) {
      const names = subAttributes.map((candidate) => candidate.name).join(", ");
      return fail(scimError("invalidValue", `${label} has no sub-attribute "${key}"; expected one of ${names}.`));
    }
    if (seen.has(sub.name)) return fail(scimError("invalidValue", `${label}.${sub.name} is given more than once (names differing only in case).`));
    seen.add(sub.name);
    if (sub.mutability === "readOnly") continue;
    const coerced = coerceValue(sub, raw, `${label}.${sub.name}`);
    if (!coerced.ok) return coerced;
    if (coerced.value !== undefined) output[sub.name] = coerced.value;
  }
  return ok(Object.keys(output).length > 0 ? output : undefined);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
