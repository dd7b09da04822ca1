import { formatFilter } from "../../scim/filter/format-filter.js";
import { parsePatchPath } from "../../scim/filter/parse-path.js";
import type { JsonObject, JsonValue } from "../../scim/json.js";
import { resolvePatchPath, type PatchTarget } from "../../scim/patch/resolve-patch-path.js";
import { creationTerms } from "../../scim/patch/select-elements.js";
import { setValue } from "../../scim/patch/set-value.js";
import { fail, ok, type Result } from "../../scim/result.js";
import { isMembersAttribute, isPasswordAttribute } from "../../scim/resource/special-attributes.js";
import { describeAttribute, type ResourceSchema } from "../../scim/schema/registry.js";

/** A target attribute path bound to the SCIM schema: where a mapping writes in the target document. */
export interface TargetPath extends PatchTarget {
  /** The path as written in the mapping. */
  readonly label: string;
  /** The top-level attribute written, e.g. `emails` or `urn:…:enterprise:2.0:User:manager`; the unit of a diff. */
  readonly attributeName: string;
}

/**
 * Parses and binds a target path (PATCH path grammar, RFC 7644 §3.5.2) to the SCIM schema of the resource
 * type. Refused: read-only attributes (the target maintains `id`, `meta`, `groups`), `password`, Group
 * `members` (the engine sends memberships itself), a sub-attribute of a multi-valued attribute without a
 * filter (which value?), and filters that do not describe one value (only `eq` joined by `and` do).
 */
export function compileTargetPath(schema: ResourceSchema, text: string): Result<TargetPath, string> {
  const parsed = parsePatchPath(text);
  if (!parsed.ok) return fail(parsed.error.detail);
  const bound = resolvePatchPath(schema, parsed.value, text);
  if (!bound.ok) return fail(bound.error.detail);
  if (bound.value.kind === "schema") return fail(`"${text}" names a whole schema; map its attributes one by one`);
  const { resolved, filter } = bound.value.target;
  const shown = describeAttribute(resolved);
  if (isPasswordAttribute(resolved)) return fail(`"${text}": Muster never sends passwords`);
  if (isMembersAttribute(schema, resolved)) return fail(`"${text}": group members are provisioned by the engine, not by a mapping`);
  if (resolved.attribute.mutability === "readOnly" || resolved.subAttribute?.mutability === "readOnly") {
    return fail(`"${text}": ${shown} is read-only; the target maintains it`);
  }
  if (resolved.attribute.multiValued && resolved.subAttribute !== undefined && filter === undefined) {
    return fail(`"${text}" does not say which value of ${resolved.attribute.name} to write; add a filter, e.g. ${resolved.attribute.name}[type eq "work"].${resolved.subAttribute.name}`);
  }
  const written = parsed.value.valueFilter;
  if (filter !== undefined && written !== undefined && creationTerms(filter) === undefined) {
    return fail(`"${text}": the filter [${formatFilter(written)}] must pin one value with "eq" comparisons joined by "and", e.g. [type eq "work"]`);
  }
  const attributeName = resolved.extension ? `${resolved.schema}:${resolved.attribute.name}` : resolved.attribute.name;
  return ok({ resolved, ...(filter ? { filter } : {}), label: text, attributeName });
}

/**
 * Writes a value at a target path in place, with the PATCH engine's `replace` (RFC 7644 §3.5.2.3): the value
 * is checked and normalised for the attribute's type; a filtered path updates the value it selects or creates
 * it from the filter's terms (`emails[type eq "work"].value` adds `{type: "work", value}`); a complex value
 * merges into what earlier mappings wrote. The error is a sentence about the value.
 */
export function writeTargetPath(document: JsonObject, target: TargetPath, value: JsonValue): Result<true, string> {
  const written = setValue(document, "replace", target, value);
  return written.ok ? ok(true) : fail(written.error.detail);
}
