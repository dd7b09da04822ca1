import { scimError } from "../errors.js";
import { parseAttributePath } from "../filter/parse-path.js";
import { foldCase } from "../fold.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import { fail, ok, type Result } from "../result.js";
import { describeAttribute, type ResolvedAttribute, type ResolvedPath, type ResourceSchema } from "../schema/registry.js";
import { checkRequiredAttributes } from "./check-required.js";
import { coerceValue } from "./coerce-value.js";
import { describeJson } from "./describe-json.js";
import { readAttribute, writeAttribute } from "./document-access.js";
import { jsonEqual } from "./json-equal.js";
import { parseMembers, type MemberInput } from "./parse-members.js";
import { isMembersAttribute, isPasswordAttribute } from "./special-attributes.js";

/** A POST or PUT body reduced to what Muster stores: the attribute document, asserted members, a new password. */
export interface ParsedResource {
  readonly attributes: JsonObject;
  /** Present only when a Group body carries `members`; [] (or null in the body) asserts an empty group. */
  readonly members?: MemberInput[];
  readonly password?: string;
}

/** Whether the body creates a resource (POST) or replaces one (PUT, RFC 7644 §3.5.1). */
export interface BodyContext {
  readonly mode: "create" | "replace";
  readonly current?: { readonly id: string; readonly attributes: JsonObject };
}

interface BodyState {
  readonly attributes: JsonObject;
  readonly seen: Set<string>;
  members?: MemberInput[];
  password?: string;
}

/**
 * Parses a User or Group body for POST (RFC 7644 §3.3) or PUT (§3.5.1). Keys are attribute paths resolved
 * case-insensitively (`name.givenName`, `urn:…:User:employeeNumber`, whole extension URN keys); unknown
 * attributes are rejected, readOnly ones (`id` on create, `meta`, `groups`) ignored, `schemas` tolerated (also inside a whole extension object).
 */
export function parseResourceBody(schema: ResourceSchema, body: unknown, context: BodyContext): Result<ParsedResource> {
  if (!isJsonObject(body)) {
    return fail(scimError("invalidSyntax", `The request body must be a JSON object representing a ${schema.name}, got ${describeJson(body)}.`));
  }
  const state: BodyState = { attributes: {}, seen: new Set() };
  for (const [key, value] of Object.entries(body)) {
    const applied = applyKey(schema, state, key, value, context);
    if (!applied.ok) return applied;
  }
  if (context.mode === "replace" && context.current) {
    const kept = keepImmutableAttributes(schema, state.attributes, context.current.attributes);
    if (!kept.ok) return kept;
  }
  const required = checkRequiredAttributes(schema, state.attributes);
  if (!required.ok) return required;
  return ok({
    attributes: state.attributes,
    ...(state.members !== undefined ? { members: state.members } : {}),
    ...(state.password !== undefined ? { password: state.password } : {}),
  });
}

function applyKey(schema: ResourceSchema, state: BodyState, key: string, value: JsonValue, context: BodyContext): Result<true> {
  if (foldCase(key) === "schemas") return checkSchemas(value);
  const resolved = resolveKey(schema, key, undefined);
  if (!resolved.ok) return fail(scimError("invalidValue", `Invalid key "${key}" in the ${schema.name} body: ${sentence(resolved.error)}`));
  if (resolved.value.kind === "attribute") return applyAttribute(schema, state, resolved.value, value, context);
  if (value === null) return ok(true);
  const urn = resolved.value.schema.id;
  if (!isJsonObject(value)) {
    return fail(scimError("invalidValue", `"${key}" names the schema ${urn}, so its value must be an object of its attributes, got ${describeJson(value)}.`));
  }
  for (const [innerKey, innerValue] of Object.entries(value)) {
    // Some clients repeat `schemas` inside an extension object; it is tolerated there as at the top.
    if (foldCase(innerKey) === "schemas") {
      const checked = checkSchemas(innerValue);
      if (!checked.ok) return checked;
      continue;
    }
    const inner = resolveKey(schema, innerKey, urn);
    if (!inner.ok || inner.value.kind !== "attribute") {
      const reason = inner.ok ? "it names a whole schema, not an attribute." : sentence(inner.error);
      return fail(scimError("invalidValue", `Invalid key "${innerKey}" inside "${key}" in the ${schema.name} body: ${reason}`));
    }
    const applied = applyAttribute(schema, state, inner.value, innerValue, context);
    if (!applied.ok) return applied;
  }
  return ok(true);
}

/**
 * Resolves a body key; inside a whole-schema object (`uri` given) keys are plain names of that schema. A
 * top-level name only one extension defines resolves there, as in PATCH paths: Microsoft's documented
 * create sample sends `"department": null` and `"manager": null` beside the core attributes (ENT-21).
 */
function resolveKey(schema: ResourceSchema, key: string, uri: string | undefined): Result<ResolvedPath, string> {
  const parsed = parseAttributePath(key);
  if (!parsed.ok) return fail(parsed.error.detail);
  if (uri === undefined) return schema.resolve(schema.qualifyUnique(parsed.value));
  if (parsed.value.uri !== undefined) return fail(`inside "${uri}" keys are attribute names of that schema, without a URN`);
  return schema.resolve({ ...parsed.value, uri });
}

function applyAttribute(schema: ResourceSchema, state: BodyState, resolved: ResolvedAttribute, value: JsonValue, context: BodyContext): Result<true> {
  const label = describeAttribute(resolved);
  if (state.seen.has(foldCase(label))) return fail(scimError("invalidValue", `${label} is given more than once in the ${schema.name} body.`));
  state.seen.add(foldCase(label));
  const { attribute, subAttribute } = resolved;
  if (!resolved.extension && attribute.name === "id") return checkId(value, context);
  if (attribute.mutability === "readOnly" || subAttribute?.mutability === "readOnly") return ok(true);
  if (isMembersAttribute(schema, resolved)) {
    if (subAttribute) return fail(scimError("invalidValue", `${label} cannot be set on its own; send members as a list of { "value": id } objects.`));
    const members = parseMembers(attribute, value, label);
    if (!members.ok) return members;
    state.members = members.value;
    return ok(true);
  }
  if (isPasswordAttribute(resolved)) {
    const password = coerceValue(attribute, value, label);
    if (!password.ok) return password;
    if (typeof password.value === "string") state.password = password.value;
    return ok(true);
  }
  if (!subAttribute) {
    const coerced = coerceValue(attribute, value, label);
    if (!coerced.ok) return coerced;
    const existing = readAttribute(state.attributes, resolved);
    // `name.givenName` may arrive before `name`; both are kept, the later key winning per sub-attribute.
    const merged = isJsonObject(existing) && isJsonObject(coerced.value) ? { ...existing, ...coerced.value } : coerced.value;
    writeAttribute(state.attributes, resolved, merged);
    return ok(true);
  }
  if (attribute.multiValued) {
    return fail(scimError("invalidValue", `${label} cannot be set on its own because ${attribute.name} is multi-valued; send ${attribute.name} as a list of objects.`));
  }
  const coerced = coerceValue(subAttribute, value, label);
  if (!coerced.ok) return coerced;
  const existing = readAttribute(state.attributes, resolved);
  const parent: JsonObject = isJsonObject(existing) ? { ...existing } : {};
  if (coerced.value === undefined) delete parent[subAttribute.name];
  else parent[subAttribute.name] = coerced.value;
  writeAttribute(state.attributes, resolved, Object.keys(parent).length > 0 ? parent : undefined);
  return ok(true);
}

function sentence(text: string): string {
  return text.endsWith(".") ? text : `${text}.`;
}

function checkSchemas(value: JsonValue): Result<true> {
  if (value === null || (Array.isArray(value) && value.every((item) => typeof item === "string"))) return ok(true);
  return fail(scimError("invalidSyntax", `schemas must be an array of schema URN strings, got ${describeJson(value)}.`));
}

function checkId(value: JsonValue, context: BodyContext): Result<true> {
  // OneLogin sends "id": null on create; on create any id is ignored because the server issues it.
  if (context.mode === "create" || value === null || !context.current) return ok(true);
  if (value === context.current.id) return ok(true);
  return fail(scimError("mutability", `id cannot be changed: the body has id ${describeJson(value)} but the resource's id is "${context.current.id}".`));
}

/** RFC 7644 §3.5.1: an immutable attribute that has a value keeps it; a body may repeat it but not change it. */
function keepImmutableAttributes(schema: ResourceSchema, next: JsonObject, current: JsonObject): Result<true> {
  const slots = [
    ...schema.core.attributes.map((attribute) => ({ schema: schema.core.id, extension: false, attribute })),
    ...schema.extensions.flatMap((extension) => extension.attributes.map((attribute) => ({ schema: extension.id, extension: true, attribute }))),
  ];
  for (const slot of slots) {
    if (slot.attribute.mutability !== "immutable") continue;
    const before = readAttribute(current, slot);
    if (before === undefined) continue;
    const after = readAttribute(next, slot);
    if (after === undefined) writeAttribute(next, slot, before);
    else if (!jsonEqual(before, after)) {
      return fail(scimError("mutability", `${slot.attribute.name} is immutable and already has a value, so it cannot be changed.`));
    }
  }
  return ok(true);
}
