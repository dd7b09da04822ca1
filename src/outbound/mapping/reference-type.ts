import type { ResolvedAttribute } from "../../scim/schema/registry.js";
import { findSubAttribute } from "../../scim/schema/registry.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";

const resourceTypes: readonly ResourceTypeName[] = ["User", "Group"];

/**
 * The resource type a path refers to when it names a single-valued reference to another SCIM resource
 * (an attribute whose `$ref` points at Users or Groups, such as the enterprise `manager`), as a whole or
 * by its `value`; undefined otherwise. Such values are ids, which differ between Muster and the target.
 */
export function referenceTypeOf(resolved: ResolvedAttribute, hasFilter: boolean): ResourceTypeName | undefined {
  const { attribute, subAttribute } = resolved;
  if (attribute.type !== "complex" || attribute.multiValued || hasFilter) return undefined;
  if (subAttribute !== undefined && subAttribute.name !== "value") return undefined;
  const referenceTypes = findSubAttribute(attribute, "$ref")?.referenceTypes ?? [];
  const named = resourceTypes.filter((type) => referenceTypes.includes(type));
  return named.length === 1 ? named[0] : undefined;
}
