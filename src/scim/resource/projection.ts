import { scimError } from "../errors.js";
import type { AttributePath } from "../filter/ast.js";
import { formatPath } from "../filter/format-filter.js";
import { parseAttributeList } from "../filter/parse-path.js";
import { foldCase } from "../fold.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import { fail, ok, type Result } from "../result.js";
import type { AttributeDefinition } from "../schema/attribute.js";
import { findSubAttribute, type ResourceSchema } from "../schema/registry.js";

/** One name from `attributes` / `excludedAttributes`, bound to the schema with canonical names. */
export interface ProjectionEntry {
  /** URN of the schema the name belongs to (the core URN for core and common attributes). */
  readonly schema: string;
  /** Top-level attribute; absent when the entry names a whole schema such as the enterprise extension. */
  readonly attribute?: string;
  readonly subAttribute?: string;
}

/** Which attributes a response carries (RFC 7644 §3.4.2.5, §3.9). */
export type Projection =
  | { readonly kind: "default" }
  | { readonly kind: "include"; readonly entries: readonly ProjectionEntry[] }
  | { readonly kind: "exclude"; readonly entries: readonly ProjectionEntry[] };

/**
 * Parses the `attributes` and `excludedAttributes` parameters (RFC 7644 §3.4.2.5): comma-separated,
 * case-insensitive, `name.givenName`, URN-qualified names and whole extension URNs. When both are given
 * `attributes` wins (§3.9 says they are not to be combined). An unknown name is `invalidValue`.
 */
export function parseProjection(schema: ResourceSchema, params: { attributes?: string; excludedAttributes?: string }): Result<Projection> {
  const [kind, text] = isGiven(params.attributes)
    ? (["include", params.attributes] as const)
    : isGiven(params.excludedAttributes)
      ? (["exclude", params.excludedAttributes] as const)
      : (["default", undefined] as const);
  if (kind === "default" || text === undefined) return ok({ kind: "default" });
  const parameter = kind === "include" ? "attributes" : "excludedAttributes";
  const paths = parseAttributeList(text);
  if (!paths.ok) return fail(scimError(paths.error.code, `Invalid ${parameter} parameter: ${paths.error.detail}`));
  const entries: ProjectionEntry[] = [];
  for (const path of paths.value) {
    // `schemas` is a top-level member of every resource that the registry does not model; it is always returned.
    if (path.uri === undefined && path.subAttribute === undefined && foldCase(path.attribute) === "schemas") continue;
    const entry = bindEntry(schema, path);
    if (!entry.ok) return fail(scimError("invalidValue", `Invalid ${parameter} parameter: "${formatPath(path)}" is not an attribute of ${schema.name} resources (${entry.error}).`));
    entries.push(entry.value);
  }
  return ok({ kind, entries });
}

/**
 * Applies RFC 7644 §3.9 and the RFC 7643 §7 `returned` rules to a full wire document: `id` and `schemas`
 * always stay, `returned: never` never appears, `returned: request` only when named in `attributes`;
 * sub-attribute selection keeps the parent with only those sub-attributes (also inside multi-valued
 * elements); `schemas` lists an extension URN only while extension data remains.
 */
export function projectResource(schema: ResourceSchema, resource: JsonObject, projection: Projection): JsonObject {
  const output: JsonObject = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === "schemas") {
      output[key] = value;
      continue;
    }
    const extension = schema.extension(key);
    if (extension && isJsonObject(value)) {
      const projected: JsonObject = {};
      for (const [name, inner] of Object.entries(value)) {
        const definition = schema.extensionAttribute(extension.id, name);
        const kept = definition ? projectAttribute(extension.id, definition, inner, projection) : projectUnknown(inner, projection);
        if (kept !== undefined) projected[name] = kept;
      }
      if (Object.keys(projected).length > 0) output[key] = projected;
      continue;
    }
    const definition = schema.coreAttribute(key);
    const kept = definition ? projectAttribute(schema.core.id, definition, value, projection) : projectUnknown(value, projection);
    if (kept !== undefined) output[key] = kept;
  }
  return withSchemas(schema, output);
}

/** True when a top-level core attribute (such as `members` or `groups`) would appear in the projected response. */
export function wantsAttribute(schema: ResourceSchema, projection: Projection, name: string): boolean {
  const definition = schema.coreAttribute(name);
  if (!definition || definition.returned === "never") return false;
  if (definition.returned === "always") return true;
  const named = (entry: ProjectionEntry) => entry.schema === schema.core.id && entry.attribute === definition.name;
  switch (projection.kind) {
    case "default":
      return definition.returned !== "request";
    case "include":
      return projection.entries.some((entry) => named(entry) || (definition.returned === "default" && isWholeSchema(entry, schema.core.id)));
    case "exclude":
      return definition.returned !== "request" && !projection.entries.some((entry) => named(entry) && entry.subAttribute === undefined);
  }
}

function isGiven(text: string | undefined): text is string {
  return typeof text === "string" && text.trim() !== "";
}

function bindEntry(schema: ResourceSchema, path: AttributePath): Result<ProjectionEntry, string> {
  const resolved = schema.resolve(path);
  if (!resolved.ok) return resolved;
  if (resolved.value.kind === "schema") return ok({ schema: resolved.value.schema.id });
  const { schema: urn, attribute, subAttribute } = resolved.value;
  return ok(subAttribute ? { schema: urn, attribute: attribute.name, subAttribute: subAttribute.name } : { schema: urn, attribute: attribute.name });
}

function isWholeSchema(entry: ProjectionEntry, urn: string): boolean {
  return entry.attribute === undefined && entry.schema === urn;
}

function projectAttribute(urn: string, definition: AttributeDefinition, value: JsonValue, projection: Projection): JsonValue | undefined {
  if (definition.returned === "never") return undefined;
  if (definition.returned === "always") return value;
  const entries = projection.kind === "default" ? [] : projection.entries.filter((entry) => entry.schema === urn && entry.attribute === definition.name);
  const whole = entries.some((entry) => entry.subAttribute === undefined);
  const subNames = new Set(entries.flatMap((entry) => (entry.subAttribute ? [entry.subAttribute] : [])));
  switch (projection.kind) {
    case "default":
      return definition.returned === "request" ? undefined : selectSubAttributes(definition, value, (sub) => isReturnedByDefault(sub));
    case "include": {
      const wholeSchema = definition.returned === "default" && projection.entries.some((entry) => isWholeSchema(entry, urn));
      if (whole || wholeSchema) return selectSubAttributes(definition, value, (sub) => isReturnedByDefault(sub) || (sub !== undefined && subNames.has(sub.name)));
      if (subNames.size === 0) return undefined;
      return selectSubAttributes(definition, value, (sub) => sub !== undefined && sub.returned !== "never" && subNames.has(sub.name));
    }
    case "exclude": {
      if (definition.returned === "request" || whole || projection.entries.some((entry) => isWholeSchema(entry, urn))) return undefined;
      return selectSubAttributes(definition, value, (sub) => isReturnedByDefault(sub) && !(sub !== undefined && subNames.has(sub.name)));
    }
  }
}

/** Unknown sub-attributes (undefined definition) pass unless a selection names specific sub-attributes. */
function isReturnedByDefault(sub: AttributeDefinition | undefined): boolean {
  return sub === undefined || (sub.returned !== "never" && sub.returned !== "request");
}

function projectUnknown(value: JsonValue, projection: Projection): JsonValue | undefined {
  return projection.kind === "include" ? undefined : value;
}

function selectSubAttributes(definition: AttributeDefinition, value: JsonValue, keep: (sub: AttributeDefinition | undefined) => boolean): JsonValue | undefined {
  if (definition.type !== "complex") return value;
  const selectOne = (element: JsonValue): JsonValue | undefined => {
    if (!isJsonObject(element)) return element;
    const selected: JsonObject = {};
    for (const [key, inner] of Object.entries(element)) if (keep(findSubAttribute(definition, key))) selected[key] = inner;
    return Object.keys(selected).length > 0 ? selected : undefined;
  };
  if (!Array.isArray(value)) return selectOne(value);
  // An empty list the presenter chose to show (a group's `members: []`, ENT-51) stays as it is.
  if (value.length === 0) return value;
  const elements = value.map(selectOne).filter((element): element is JsonValue => element !== undefined);
  return elements.length > 0 ? elements : undefined;
}

/** Lists an extension URN in `schemas` exactly when the projected document still has that extension's data. */
function withSchemas(schema: ResourceSchema, output: JsonObject): JsonObject {
  const listed = Array.isArray(output["schemas"]) ? output["schemas"] : [schema.core.id];
  const present = schema.extensions.filter((extension) => output[extension.id] !== undefined).map((extension) => extension.id);
  const kept = listed.filter((urn) => typeof urn !== "string" || !schema.extension(urn) || present.some((id) => foldCase(id) === foldCase(urn)));
  const missing = present.filter((id) => !kept.some((urn) => typeof urn === "string" && foldCase(urn) === foldCase(id)));
  const schemas = [...kept, ...missing];
  return "schemas" in output ? { ...output, schemas } : { schemas, ...output };
}
