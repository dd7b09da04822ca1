import type { ResolvedFilter } from "../../scim/filter/resolved.js";
import { parsePatchPath } from "../../scim/filter/parse-path.js";
import { isAssigned } from "../../scim/filter/evaluate-filter.js";
import { isJsonObject, type JsonValue } from "../../scim/json.js";
import { resolvePatchPath } from "../../scim/patch/resolve-patch-path.js";
import { selectElements } from "../../scim/patch/select-elements.js";
import { fail, ok, type Result } from "../../scim/result.js";
import { readAttribute } from "../../scim/resource/document-access.js";
import { isMembersAttribute, isPasswordAttribute } from "../../scim/resource/special-attributes.js";
import { describeAttribute, leafOf, type ResolvedAttribute, type ResourceSchema } from "../../scim/schema/registry.js";
import type { SourceResource } from "./source-resource.js";

/** A source path bound to Muster's schema: which attribute to read, which elements, which sub-attribute. */
export interface SourcePath {
  /** The path as written, for messages. */
  readonly text: string;
  readonly resolved: ResolvedAttribute;
  /** The filter inside `attr[…]`, selecting elements of a multi-valued attribute. */
  readonly filter?: ResolvedFilter;
}

/**
 * Parses and binds a source path (the PATCH path grammar of RFC 7644 §3.5.2: `userName`, `name.givenName`,
 * `emails[type eq "work"].value`, `urn:…:enterprise:2.0:User:department`) to Muster's schema for the
 * resource type. Attributes that are not in a stored document (`password`, `groups`, Group `members`) are
 * refused. The error is a sentence.
 */
export function compileSourcePath(schema: ResourceSchema, text: string): Result<SourcePath, string> {
  const parsed = parsePatchPath(text);
  if (!parsed.ok) return fail(parsed.error.detail);
  const bound = resolvePatchPath(schema, parsed.value, text);
  if (!bound.ok) return fail(bound.error.detail);
  if (bound.value.kind === "schema") return fail(`"${text}" names a whole schema; name one of its attributes, e.g. ${bound.value.schema.id}:${bound.value.schema.attributes[0]?.name ?? "…"}`);
  const { resolved, filter } = bound.value.target;
  if (isPasswordAttribute(resolved)) return fail(`"${text}": passwords are stored only as hashes, so there is nothing to send`);
  if (isMembersAttribute(schema, resolved)) return fail(`"${text}": group members are not an attribute of the source document; the engine provisions memberships itself`);
  if (!resolved.extension && resolved.attribute.name === "groups") return fail(`"${text}": a user's groups are derived from memberships and not part of the source document`);
  return ok({ text, resolved, ...(filter ? { filter } : {}) });
}

/**
 * The value a source path gives for a resource, undefined when unassigned (RFC 7643 §2.5).
 * - `attr`: the attribute's value as stored (a multi-valued one as its list).
 * - `attr.sub` on a single-valued complex attribute: that sub-attribute.
 * - `attr.sub` on a multi-valued attribute: the sub-attribute of the primary value, else of the first
 *   value that has it (`emails.value` is "the" email).
 * - `attr[filter]`: the list of matching values; `attr[filter].sub`: as `attr.sub`, among the matching values.
 * - `id`, `meta.created`, `meta.lastModified`: from the resource record.
 */
export function readSourcePath(source: SourceResource, path: SourcePath): JsonValue | undefined {
  const value = readStoredOrCommon(source, path.resolved);
  if (!isAssigned(value)) return undefined;
  const { attribute, subAttribute } = path.resolved;
  if (!attribute.multiValued) {
    if (subAttribute === undefined) return value;
    return isJsonObject(value) && isAssigned(value[subAttribute.name]) ? value[subAttribute.name] : undefined;
  }
  const elements = Array.isArray(value) ? value : [value];
  const selected = path.filter === undefined ? elements : selectElements(elements, path.filter).map((index) => elements[index] as JsonValue);
  if (subAttribute === undefined) return selected.length > 0 ? selected : undefined;
  const candidates = selected.filter((element) => isJsonObject(element) && isAssigned(element[subAttribute.name]));
  const primary = candidates.find((element) => isJsonObject(element) && element["primary"] === true) ?? candidates[0];
  return isJsonObject(primary) ? primary[subAttribute.name] : undefined;
}

/** What a source path's leaf holds, for static checks: the leaf type, and whether the value is a list. */
export function sourcePathShape(path: SourcePath): { readonly type: ReturnType<typeof leafOf>["type"]; readonly list: boolean } {
  const list = path.resolved.attribute.multiValued && path.resolved.subAttribute === undefined;
  return { type: leafOf(path.resolved).type, list };
}

/** Display form of the attribute a source path reads, e.g. `emails.value`. */
export function describeSourcePath(path: SourcePath): string {
  return describeAttribute(path.resolved);
}

function readStoredOrCommon(source: SourceResource, resolved: ResolvedAttribute): JsonValue | undefined {
  if (resolved.extension) return readAttribute(source.attributes, resolved);
  if (resolved.attribute.name === "id") return source.id;
  if (resolved.attribute.name === "meta") {
    const meta: Record<string, JsonValue> = {};
    if (source.created !== undefined) meta["created"] = source.created;
    if (source.lastModified !== undefined) meta["lastModified"] = source.lastModified;
    return meta;
  }
  return readAttribute(source.attributes, resolved);
}
