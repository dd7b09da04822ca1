import { scimError } from "../errors.js";
import type { AttributePath, PatchPath } from "../filter/ast.js";
import type { ResolvedFilter } from "../filter/resolved.js";
import { resolveFilter } from "../filter/resolve-filter.js";
import { fail, ok, type Result } from "../result.js";
import type { SchemaDefinition } from "../schema/attribute.js";
import type { ResolvedAttribute, ResourceSchema } from "../schema/registry.js";

/** What one PATCH step acts on: an attribute or sub-attribute, optionally narrowed to the elements a value filter selects. */
export interface PatchTarget {
  readonly resolved: ResolvedAttribute;
  /** The filter inside `attr[…]`, whose paths are sub-attributes of the element (see matchesElement). */
  readonly filter?: ResolvedFilter;
  /** The path as the client wrote it, for error details. */
  readonly label: string;
}

/** A PATCH path bound to the schema: an attribute target, or a whole schema (`urn:…:enterprise:2.0:User`). */
export type ResolvedPatchPath =
  | { readonly kind: "attribute"; readonly target: PatchTarget }
  | { readonly kind: "schema"; readonly schema: SchemaDefinition; readonly extension: boolean };

/**
 * Binds a parsed PATCH path (RFC 7644 §3.5.2) to the schema. Unknown attributes are `invalidPath`; the
 * value filter is resolved against the attribute's sub-attributes, and a bad one is `invalidFilter`.
 */
export function resolvePatchPath(schema: ResourceSchema, path: PatchPath, label: string): Result<ResolvedPatchPath> {
  const { valueFilter, ...written } = path;
  // Entra's documented `{"op":"Add","path":"manager",…}` names the enterprise manager without its URN (ENT-34).
  const attributePath = schema.qualifyUnique(written);
  const resolved = schema.resolve(attributePath);
  if (!resolved.ok) return fail(scimError("invalidPath", `The path "${label}" names nothing in ${schema.name} resources: ${resolved.error}.`));
  if (resolved.value.kind === "schema") {
    if (valueFilter) return fail(scimError("invalidPath", `The path "${label}" puts a value filter on a whole schema.`));
    return ok({ kind: "schema", schema: resolved.value.schema, extension: resolved.value.extension });
  }
  const { schema: urn, extension, attribute: definition, subAttribute } = resolved.value;
  const attribute: ResolvedAttribute = { schema: urn, extension, attribute: definition, ...(subAttribute ? { subAttribute } : {}) };
  if (!valueFilter) return ok({ kind: "attribute", target: { resolved: attribute, label } });
  if (!attribute.attribute.multiValued || attribute.attribute.type !== "complex") {
    return fail(scimError("invalidPath", `The path "${label}" filters "${attribute.attribute.name}", but value filters only select elements of multi-valued complex attributes.`));
  }
  const parentPath: AttributePath = attributePath.uri === undefined ? { attribute: attributePath.attribute } : { uri: attributePath.uri, attribute: attributePath.attribute };
  const bound = resolveFilter({ kind: "valuePath", path: parentPath, filter: valueFilter }, schema);
  if (!bound.ok) return fail(scimError(bound.error.code, `In the path "${label}": ${bound.error.detail}`));
  if (bound.value.kind !== "valuePath") return fail(scimError("invalidFilter", `The filter in the path "${label}" could not be bound to "${attribute.attribute.name}".`));
  return ok({ kind: "attribute", target: { resolved: attribute, filter: bound.value.filter, label } });
}
