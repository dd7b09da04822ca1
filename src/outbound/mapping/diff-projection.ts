import { isJsonObject, type JsonObject, type JsonValue } from "../../scim/json.js";
import { readAttribute } from "../../scim/resource/document-access.js";
import { jsonEqual } from "../../scim/resource/json-equal.js";
import type { AttributeDefinition } from "../../scim/schema/attribute.js";
import type { CompiledMappings } from "./compile-mappings.js";
import { canonicalJson } from "./hash-projection.js";
import { keepCreateOnly } from "./keep-create-only.js";
import { withSchemas, withoutSchemas } from "./target-schemas.js";

/** One operation of a SCIM PatchOp request (RFC 7644 §3.5.2) as sent to the target. */
export interface ScimPatchOperation {
  readonly op: "add" | "replace" | "remove";
  readonly path: string;
  readonly value?: JsonValue;
}

/** An attribute whose value changes, for provisioning logs; null stands for unassigned. */
export interface ModifiedAttribute {
  readonly path: string;
  readonly oldValue: JsonValue;
  readonly newValue: JsonValue;
}

/** What it takes to turn the target's copy into the new projection. */
export interface ProjectionDiff {
  /** PATCH operations, empty when nothing changes. */
  readonly operations: readonly ScimPatchOperation[];
  /** Attributes whose value changes, old → new (sub-attributes of single complex attributes one by one). */
  readonly modified: readonly ModifiedAttribute[];
  /** What the target holds once the operations are applied (`next` with "create"-only values kept): store and hash this. */
  readonly document: JsonObject;
}

/**
 * Compares the document last written to the target with a new projection (both SCIM documents; `schemas`
 * is ignored) and gives the fewest PATCH operations that turn one into the other, attribute by attribute:
 * - an attribute that became unassigned is removed (`remove`), so values can be cleared in the target;
 * - a multi-valued attribute is replaced whole; its values are compared as a set, so order alone is no change;
 * - a single complex attribute (`name`, `manager`) loses the sub-attributes that became unassigned
 *   (`remove name.middleName`) and is then replaced whole, which is right whether the target merges
 *   (RFC 7644 §3.5.2.3) or overwrites;
 * - any other attribute is replaced.
 * Targets of "create"-only mappings keep their previous value and never appear.
 */
export function diffProjection(mappings: CompiledMappings, previous: JsonObject, next: JsonObject): ProjectionDiff {
  const before = withoutSchemas(previous);
  const after = withoutSchemas(structuredClone(next));
  for (const target of mappings.createOnly) keepCreateOnly(after, before, target);
  const operations: ScimPatchOperation[] = [];
  const modified: ModifiedAttribute[] = [];
  for (const slot of slotsOf(mappings, before, after)) {
    const old = readAttribute(before, slot);
    const now = readAttribute(after, slot);
    const path = slot.extension ? `${slot.schema}:${slot.attribute.name}` : slot.attribute.name;
    if (sameValue(slot.attribute, old, now)) continue;
    if (now === undefined) {
      operations.push({ op: "remove", path });
      modified.push({ path, oldValue: old ?? null, newValue: null });
    } else if (slot.attribute.type === "complex" && !slot.attribute.multiValued && isJsonObject(old) && isJsonObject(now)) {
      for (const name of unionKeys(old, now)) {
        if (jsonEqual(old[name], now[name])) continue;
        if (now[name] === undefined) operations.push({ op: "remove", path: `${path}.${name}` });
        modified.push({ path: `${path}.${name}`, oldValue: old[name] ?? null, newValue: now[name] ?? null });
      }
      operations.push({ op: "replace", path, value: now });
    } else {
      operations.push({ op: "replace", path, value: now });
      modified.push({ path, oldValue: old ?? null, newValue: now });
    }
  }
  return { operations, modified, document: withSchemas(mappings.schema, after) };
}

interface Slot {
  readonly schema: string;
  readonly extension: boolean;
  readonly attribute: AttributeDefinition;
}

/** Every attribute either document has, in schema order (core, then each extension); unknown keys are not diffed. */
function slotsOf(mappings: CompiledMappings, before: JsonObject, after: JsonObject): Slot[] {
  const { schema } = mappings;
  // Read-only attributes (id, meta, groups) are never in a projection.
  const writable = schema.coreAttributeList.filter((attribute) => attribute.mutability !== "readOnly");
  const slots: Slot[] = writable.map((attribute) => ({ schema: schema.core.id, extension: false, attribute }));
  for (const extension of schema.extensions) {
    for (const attribute of extension.attributes) slots.push({ schema: extension.id, extension: true, attribute });
  }
  return slots.filter((slot) => readAttribute(before, slot) !== undefined || readAttribute(after, slot) !== undefined);
}

/** Equality for diffing: multi-valued attributes are sets (RFC 7643 §2.4 gives their values no order). */
function sameValue(attribute: AttributeDefinition, left: JsonValue | undefined, right: JsonValue | undefined): boolean {
  if (!attribute.multiValued || !Array.isArray(left) || !Array.isArray(right)) return jsonEqual(left, right);
  if (left.length !== right.length) return false;
  const sorted = (values: JsonValue[]) => values.map(canonicalJson).sort();
  const a = sorted(left);
  const b = sorted(right);
  return a.every((text, index) => text === b[index]);
}

function unionKeys(left: JsonObject, right: JsonObject): string[] {
  return [...new Set([...Object.keys(left), ...Object.keys(right)])];
}
