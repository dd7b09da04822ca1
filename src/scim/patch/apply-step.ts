import { scimError } from "../errors.js";
import { foldCase } from "../fold.js";
import type { JsonObject } from "../json.js";
import { fail, ok, type Result } from "../result.js";
import { coerceValue } from "../resource/coerce-value.js";
import { describeJson } from "../resource/describe-json.js";
import { readAttribute } from "../resource/document-access.js";
import { isPasswordAttribute } from "../resource/special-attributes.js";
import type { ResolvedAttribute } from "../schema/registry.js";
import type { PatchStep } from "./expand-operation.js";
import type { MemberChange } from "./member-change.js";
import { memberChangesOf } from "./member-changes-of.js";
import { removeValue } from "./remove-value.js";
import { setValue } from "./set-value.js";

/** The working copy a PATCH request builds up; discarded whole when any step fails. */
export interface PatchState {
  readonly attributes: JsonObject;
  readonly memberChanges: MemberChange[];
  password?: string;
}

/**
 * Applies one step to the working copy, enforcing RFC 7643 §2.2 mutability: readOnly targets are
 * `mutability` errors when named by a path and ignored as echoes inside path-less values, except `id`,
 * which may only repeat the current id (Okta, OKT-22); removing a required attribute is `mutability`
 * (RFC 7644 §3.5.2.2); `password` goes to the state, never into the document.
 */
export function applyStep(state: PatchState, step: PatchStep, currentId: string, relations: ReadonlySet<string>): Result<true> {
  if (step.kind === "clearExtension") {
    delete state.attributes[step.schema.id];
    return ok(true);
  }
  const { op, target, value } = step;
  const { resolved, label } = target;
  if (isRelation(resolved, relations)) {
    const changes = memberChangesOf(op, target, value);
    if (!changes.ok) return changes;
    state.memberChanges.push(...changes.value);
    return ok(true);
  }
  if (!resolved.extension && resolved.attribute.name === "id") {
    if (op !== "remove" && value === currentId) return ok(true);
    return fail(scimError("mutability", `id is readOnly: it is "${currentId}" and cannot be ${op === "remove" ? "removed" : `changed to ${describeJson(value)}`}.`));
  }
  if (resolved.attribute.mutability === "readOnly" || resolved.subAttribute?.mutability === "readOnly") {
    return step.explicit ? fail(scimError("mutability", `${label} is readOnly; the server maintains it (RFC 7643 §2.2).`)) : ok(true);
  }
  if (isPasswordAttribute(resolved)) {
    if (op === "remove") return fail(scimError("mutability", "password cannot be removed; replace it with a new password instead."));
    const password = coerceValue(resolved.attribute, value, label);
    if (!password.ok) return password;
    if (typeof password.value === "string") state.password = password.value;
    return ok(true);
  }
  const applied = op === "remove" ? removeValue(state.attributes, target, value) : setValue(state.attributes, op, target, value);
  if (!applied.ok) return applied;
  if (resolved.attribute.required && readAttribute(state.attributes, resolved) === undefined) {
    return fail(scimError("mutability", `${label}: ${resolved.attribute.name} is required, so it cannot be removed or left without a value (RFC 7644 §3.5.2.2).`));
  }
  return ok(true);
}

function isRelation(resolved: ResolvedAttribute, relations: ReadonlySet<string>): boolean {
  if (resolved.extension) return false;
  const name = foldCase(resolved.attribute.name);
  return [...relations].some((relation) => foldCase(relation) === name);
}
