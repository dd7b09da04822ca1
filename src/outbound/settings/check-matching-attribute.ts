import { parseAttributePath } from "../../scim/filter/parse-path.js";
import { fail, ok, type Result } from "../../scim/result.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { describeAttribute, leafOf, registry } from "../../scim/schema/registry.js";

/** A matching attribute bound to the schema: the attribute whose value is looked up, and a key for duplicates. */
export interface MatchingAttribute {
  /** Canonical path, e.g. `emails.value` or `urn:…:enterprise:2.0:User:employeeNumber`. */
  readonly path: string;
  /** The top-level attribute, as mapping targets name it (TargetPath.attributeName). */
  readonly attributeName: string;
  readonly key: string;
}

/**
 * Checks one matching attribute: a filter attribute path (RFC 7644 §3.4.2.2 attrPath, no value filter)
 * naming a simple value the engine can look up with `filter=<path> eq "<value>"`: not complex, not
 * `id` or another read-only attribute, not `password`.
 */
export function checkMatchingAttribute(type: ResourceTypeName, text: string): Result<MatchingAttribute, string> {
  const parsed = parseAttributePath(text);
  if (!parsed.ok) return fail(parsed.error.detail);
  const schema = registry.forType(type);
  const resolved = schema.resolve(schema.qualifyUnique(parsed.value));
  if (!resolved.ok) return fail(`${resolved.error}`);
  if (resolved.value.kind === "schema") return fail(`"${text}" names a whole schema, not an attribute`);
  const leaf = leafOf(resolved.value);
  const path = describeAttribute(resolved.value);
  if (leaf.type === "complex") return fail(`${path} is complex; name one of its sub-attributes, e.g. ${path}.value`);
  if (resolved.value.attribute.mutability === "readOnly" || leaf.mutability === "readOnly") return fail(`${path} is assigned by the target, so it cannot identify an object before it is linked`);
  if (leaf.returned === "never" || leaf.mutability === "writeOnly") return fail(`${path} is never returned, so it cannot be looked up`);
  const attributeName = resolved.value.extension ? `${resolved.value.schema}:${resolved.value.attribute.name}` : resolved.value.attribute.name;
  return ok({ path, attributeName, key: path.toLowerCase() });
}
