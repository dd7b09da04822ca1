import { isJsonObject, type JsonValue } from "../../../scim/json.js";
import type { AttributeType } from "../../../scim/schema/attribute.js";

/**
 * What an expression gives, as far as is known before it runs: text, a boolean, a number, a complex
 * value, a list of values, or `any` (a coalesce of different kinds).
 */
export type ValueKind = "text" | "boolean" | "number" | "complex" | "list" | "any";

/** The kind of values of an attribute (or sub-attribute) type; `list` for a whole multi-valued attribute. */
export function kindOfAttribute(type: AttributeType, list: boolean): ValueKind {
  if (list) return "list";
  switch (type) {
    case "boolean":
      return "boolean";
    case "integer":
    case "decimal":
      return "number";
    case "complex":
      return "complex";
    default:
      return "text";
  }
}

/** The kind of a value at run time. */
export function kindOfValue(value: JsonValue): ValueKind {
  if (Array.isArray(value)) return "list";
  if (isJsonObject(value)) return "complex";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return "number";
  return value === null ? "any" : "text";
}

/** True for kinds a function may turn into text: text, numbers, booleans. */
export function isScalarKind(kind: ValueKind): boolean {
  return kind !== "complex" && kind !== "list";
}

/** How a kind is named in messages: "text", "a boolean", "a list". */
export function describeKind(kind: ValueKind): string {
  switch (kind) {
    case "text":
      return "text";
    case "boolean":
      return "a boolean";
    case "number":
      return "a number";
    case "complex":
      return "a complex value";
    case "list":
      return "a list of values";
    case "any":
      return "a value of any kind";
  }
}
