import { scimError, type ScimError } from "../errors.js";
import type { JsonObject } from "../json.js";
import { fail, ok, type Result } from "../result.js";
import { checkRequiredAttributes } from "../resource/check-required.js";
import { coerceValue } from "../resource/coerce-value.js";
import { readAttribute, writeAttribute } from "../resource/document-access.js";
import { jsonEqual } from "../resource/json-equal.js";
import type { ResourceSchema } from "../schema/registry.js";
import { applyStep, type PatchState } from "./apply-step.js";
import { expandOperation } from "./expand-operation.js";
import type { MemberChange } from "./member-change.js";
import { parsePatchRequest } from "./parse-patch-request.js";

export type { MemberChange } from "./member-change.js";

/** What a PATCH request does to a resource. */
export interface PatchOutcome {
  /** The new attribute document (canonical names, no id/meta/schemas/password/groups/members). */
  readonly attributes: JsonObject;
  /** Changes to relations named in `options.relations`, in request order. */
  readonly memberChanges: MemberChange[];
  /** A new password, when the request sets one. */
  readonly password?: string;
  /** True when `attributes` differs from the current document (membership and password are reported separately). */
  readonly changed: boolean;
}

/** Options for applyPatch: which attributes are relations kept outside the document (Group `members`). */
export interface PatchOptions {
  readonly relations: ReadonlySet<string>;
}

/**
 * Applies a PatchOp request (RFC 7644 §3.5.2) to a resource without touching `current`: operations run
 * in order on a copy, and the first failing one makes the whole request fail (atomic). The result still
 * satisfies the body rules: canonical names, no unassigned values, at most one primary, required attributes set.
 */
export function applyPatch(schema: ResourceSchema, current: { readonly id: string; readonly attributes: JsonObject }, request: unknown, options: PatchOptions): Result<PatchOutcome> {
  const operations = parsePatchRequest(request);
  if (!operations.ok) return operations;
  const state: PatchState = { attributes: structuredClone(current.attributes), memberChanges: [] };
  for (const operation of operations.value) {
    const steps = expandOperation(schema, operation);
    if (!steps.ok) return fail(inOperation(operation.index, steps.error));
    for (const step of steps.value) {
      const applied = applyStep(state, step, current.id, options.relations);
      if (!applied.ok) return fail(inOperation(operation.index, applied.error));
    }
  }
  const checked = recheckDocument(schema, state.attributes);
  if (!checked.ok) return checked;
  return ok({
    attributes: state.attributes,
    memberChanges: state.memberChanges,
    ...(state.password !== undefined ? { password: state.password } : {}),
    changed: !jsonEqual(state.attributes, current.attributes),
  });
}

/** Runs every top-level value through coercion once more, so that combined operations cannot leave two primaries or duplicates. */
function recheckDocument(schema: ResourceSchema, attributes: JsonObject): Result<true> {
  const slots = [
    ...schema.core.attributes.map((attribute) => ({ schema: schema.core.id, extension: false, attribute })),
    ...schema.extensions.flatMap((extension) => extension.attributes.map((attribute) => ({ schema: extension.id, extension: true, attribute }))),
  ];
  for (const slot of slots) {
    const value = readAttribute(attributes, slot);
    if (value === undefined) continue;
    const label = slot.extension ? `${slot.schema}:${slot.attribute.name}` : slot.attribute.name;
    const coerced = coerceValue(slot.attribute, value, label);
    if (!coerced.ok) return coerced;
    writeAttribute(attributes, slot, coerced.value);
  }
  return checkRequiredAttributes(schema, attributes);
}

function inOperation(index: number, error: ScimError): ScimError {
  return error.detail.startsWith("Operations[") ? error : scimError(error.code, `Operations[${index}]: ${error.detail}`);
}
