import { matchesElement } from "../filter/evaluate-filter.js";
import type { ResolvedFilter } from "../filter/resolved.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import { jsonEqual } from "../resource/json-equal.js";

/** Indexes of the elements a value filter selects (RFC 7644 §3.5.2 valuePath); no filter selects every object element. */
export function selectElements(elements: readonly JsonValue[], filter: ResolvedFilter | undefined): number[] {
  const selected: number[] = [];
  elements.forEach((element, index) => {
    if (isJsonObject(element) && (filter === undefined || matchesElement(element, filter))) selected.push(index);
  });
  return selected;
}

/** The elements of a stored multi-valued attribute value, as a fresh array. */
export function elementsOf(value: JsonValue | undefined): JsonValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value];
}

/**
 * The sub-attribute values a filter pins down when it is only `eq` comparisons joined by `and`
 * (`type eq "work"` → `{ type: "work" }`), so that add/replace can create the element it names
 * (ENT-32); undefined when the filter is anything else or contradicts itself.
 */
export function creationTerms(filter: ResolvedFilter): JsonObject | undefined {
  if (filter.kind === "compare") {
    const sub = filter.attr.subAttribute;
    return filter.op === "eq" && sub ? { [sub.name]: filter.value } : undefined;
  }
  if (filter.kind !== "and") return undefined;
  const left = creationTerms(filter.left);
  const right = creationTerms(filter.right);
  if (!left || !right) return undefined;
  for (const [name, value] of Object.entries(right)) if (name in left && !jsonEqual(left[name], value)) return undefined;
  return { ...left, ...right };
}

/**
 * RFC 7644 §3.5.2: setting `primary: true` on a value sets it to false on the other values of the
 * attribute. `touched` are the elements the operation wrote; the others lose `primary: true` when one of them has it.
 */
export function clearOtherPrimaries(elements: JsonValue[], touched: ReadonlySet<JsonValue>): void {
  const setsPrimary = [...touched].some((element) => isJsonObject(element) && element["primary"] === true);
  if (!setsPrimary) return;
  elements.forEach((element, index) => {
    if (!touched.has(element) && isJsonObject(element) && element["primary"] === true) elements[index] = { ...element, primary: false };
  });
}

/** Drops empty objects and exact duplicates from a multi-valued attribute's elements; undefined when none remain (unassigned). */
export function collapseElements(elements: readonly JsonValue[]): JsonValue[] | undefined {
  const kept: JsonValue[] = [];
  for (const element of elements) {
    if (isJsonObject(element) && Object.keys(element).length === 0) continue;
    if (!kept.some((existing) => jsonEqual(existing, element))) kept.push(element);
  }
  return kept.length > 0 ? kept : undefined;
}
