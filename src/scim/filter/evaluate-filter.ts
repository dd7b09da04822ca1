import { foldCase } from "../fold.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import { leafOf, type ResolvedAttribute } from "../schema/registry.js";
import type { CompareOperator } from "./ast.js";
import { compareCodePoints } from "./compare-code-points.js";
import { parseDateTime } from "./parse-date-time.js";
import type { ResolvedFilter } from "./resolved.js";

/*
 * In-memory evaluation of a ResolvedFilter over one stored attribute document. These rules are the
 * contract of filter semantics in Muster; the SQL compilers follow them exactly, and the store's tests
 * use this evaluator as the oracle.
 *
 * Where values are found. A document has canonical attribute names; an extension attribute lives under
 * its schema URN key (`doc["urn:…:enterprise:2.0:User"].employeeNumber`); `id`, `externalId` and `meta`
 * (`{created, lastModified}` as ISO strings) are plain keys. The values of a path are: the attribute's
 * value, or each element of it when it is an array; with a sub-attribute, that sub-attribute of each
 * such element that is an object (again flattened when it is an array).
 *
 * Unassigned. null, a missing key, "", [] and {} are unassigned (RFC 7643 §2.5): they are not values.
 *
 * Logic is two-valued.
 * - `compare` is true when ANY value of the path satisfies it; an unassigned attribute satisfies nothing,
 *   so `ne` means "some value exists and differs from the literal".
 * - `present` is true when the path has at least one value.
 * - `not` is plain negation: `not (title eq "x")` is true for a user without a title.
 * - `valuePath` is true when ONE element of the attribute (each array element, or the single object)
 *   satisfies the inner filter, whose paths name sub-attributes of that element (see matchesElement).
 *
 * Comparisons, by the type of the leaf definition (the sub-attribute when named, else the attribute).
 * A value of another JSON type than the leaf type never matches.
 * - string, reference, binary: with caseExact=false both sides go through foldCase, otherwise they are
 *   compared as they are. eq/ne are equality; gt/ge/lt/le use Unicode code point order
 *   (compareCodePoints: SQLite BINARY on UTF-8), not UTF-16 order; co/sw/ew are substring, prefix and
 *   suffix tests, so the literal "" matches every value.
 * - boolean: eq/ne compare booleans; other operators never match (resolveFilter rejects them).
 * - integer, decimal: numeric order.
 * - dateTime: chronological order of the instants (both sides parsed as xsd:dateTime); a stored value
 *   that does not parse never matches.
 */

/** True when the document satisfies the filter; see the rules above. */
export function matchesResource(doc: JsonObject, filter: ResolvedFilter): boolean {
  switch (filter.kind) {
    case "and":
      return matchesResource(doc, filter.left) && matchesResource(doc, filter.right);
    case "or":
      return matchesResource(doc, filter.left) || matchesResource(doc, filter.right);
    case "not":
      return !matchesResource(doc, filter.operand);
    case "present":
      return valuesOf(doc, filter.attr).length > 0;
    case "compare":
      return valuesOf(doc, filter.attr).some((value) => compareValue(value, filter.attr, filter.op, filter.value));
    case "valuePath":
      return elementsOf(doc, filter.attr).some((element) => isJsonObject(element) && matchesElement(element, filter.filter));
  }
}

/**
 * True when one element of a multi-valued (or single complex) attribute satisfies the inner filter of a
 * value path; only the `subAttribute` of each path is looked at. A nested valuePath never matches.
 */
export function matchesElement(element: JsonObject, filter: ResolvedFilter): boolean {
  switch (filter.kind) {
    case "and":
      return matchesElement(element, filter.left) && matchesElement(element, filter.right);
    case "or":
      return matchesElement(element, filter.left) || matchesElement(element, filter.right);
    case "not":
      return !matchesElement(element, filter.operand);
    case "present":
      return elementValues(element, filter.attr).length > 0;
    case "compare":
      return elementValues(element, filter.attr).some((value) => compareValue(value, filter.attr, filter.op, filter.value));
    case "valuePath":
      return false;
  }
}

/** True for values that count as assigned (RFC 7643 §2.5): not null, "", [] or {}. */
export function isAssigned(value: JsonValue | undefined): value is JsonValue {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  return !isJsonObject(value) || Object.keys(value).length > 0;
}

function elementsOf(doc: JsonObject, attr: ResolvedAttribute): JsonValue[] {
  const container = attr.extension ? doc[attr.schema] : doc;
  if (!isJsonObject(container)) return [];
  return asList(container[attr.attribute.name]);
}

function valuesOf(doc: JsonObject, attr: ResolvedAttribute): JsonValue[] {
  const elements = elementsOf(doc, attr);
  const sub = attr.subAttribute;
  const values = sub ? elements.flatMap((element) => (isJsonObject(element) ? asList(element[sub.name]) : [])) : elements;
  return values.filter(isAssigned);
}

function elementValues(element: JsonObject, attr: ResolvedAttribute): JsonValue[] {
  return attr.subAttribute ? asList(element[attr.subAttribute.name]).filter(isAssigned) : [];
}

function asList(value: JsonValue | undefined): JsonValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function compareValue(value: JsonValue, attr: ResolvedAttribute, op: CompareOperator, literal: string | number | boolean): boolean {
  const leaf = leafOf(attr);
  switch (leaf.type) {
    case "boolean":
      if (typeof value !== "boolean" || typeof literal !== "boolean") return false;
      return op === "eq" ? value === literal : op === "ne" && value !== literal;
    case "integer":
    case "decimal":
      return typeof value === "number" && typeof literal === "number" && holds(op, Math.sign(value - literal));
    case "dateTime": {
      const stored = typeof value === "string" ? parseDateTime(value) : undefined;
      const wanted = typeof literal === "string" ? parseDateTime(literal) : undefined;
      return stored !== undefined && wanted !== undefined && holds(op, Math.sign(stored.getTime() - wanted.getTime()));
    }
    case "string":
    case "reference":
    case "binary": {
      if (typeof value !== "string" || typeof literal !== "string") return false;
      const left = leaf.caseExact ? value : foldCase(value);
      const right = leaf.caseExact ? literal : foldCase(literal);
      if (op === "co") return left.includes(right);
      if (op === "sw") return left.startsWith(right);
      if (op === "ew") return left.endsWith(right);
      return holds(op, left === right ? 0 : compareCodePoints(left, right));
    }
    case "complex":
      return false;
  }
}

/** Whether `op` holds given the order of stored value against literal (-1, 0, 1); substring operators never do here. */
function holds(op: CompareOperator, order: number): boolean {
  switch (op) {
    case "eq":
      return order === 0;
    case "ne":
      return order !== 0;
    case "gt":
      return order > 0;
    case "ge":
      return order >= 0;
    case "lt":
      return order < 0;
    case "le":
      return order <= 0;
    default:
      return false;
  }
}
