import { scimError } from "../errors.js";
import type { PatchPath } from "../filter/ast.js";
import { parseAttributePath } from "../filter/parse-path.js";
import { foldCase } from "../fold.js";
import { isJsonObject, type JsonValue } from "../json.js";
import { fail, ok, type Result } from "../result.js";
import { describeJson } from "../resource/describe-json.js";
import type { SchemaDefinition } from "../schema/attribute.js";
import type { ResourceSchema } from "../schema/registry.js";
import type { PatchOperation, PatchOpName } from "./parse-patch-request.js";
import { resolvePatchPath, type PatchTarget } from "./resolve-patch-path.js";

/** One unit of work on one attribute (or one whole extension) that a PATCH operation breaks into. */
export type PatchStep =
  | {
      readonly kind: "attribute";
      readonly op: PatchOpName;
      readonly target: PatchTarget;
      readonly value: JsonValue | undefined;
      /** False for keys of a path-less value object, where read-only echoes (Okta's `id`, `meta`) are tolerated. */
      readonly explicit: boolean;
    }
  | { readonly kind: "clearExtension"; readonly schema: SchemaDefinition };

/**
 * Breaks an operation into steps (RFC 7644 §3.5.2.1, §3.5.2.3): a path-less add/replace applies each key
 * of its value object as if it were its own path (`name.givenName`, full extension URN paths, whole
 * extension URN keys; Entra ENT-35, Okta OKT-15/OKT-22); `schemas` keys are skipped, also inside a whole
 * extension's value.
 */
export function expandOperation(schema: ResourceSchema, operation: PatchOperation): Result<PatchStep[]> {
  const { op, value } = operation;
  if (op !== "remove" && value === undefined) return fail(scimError("invalidValue", `${op} needs a "value" (RFC 7644 §3.5.2).`));
  if (!operation.path) {
    if (op === "remove") return fail(scimError("noTarget", `remove needs a "path" naming what to remove (RFC 7644 §3.5.2.2).`));
    if (!isJsonObject(value)) {
      return fail(scimError("invalidValue", `${op} without a "path" needs an object whose keys are attribute paths, got ${describeJson(value)}.`));
    }
    return expandObject(schema, op, value, undefined);
  }
  const label = operation.pathText ?? "";
  const resolved = resolvePatchPath(schema, operation.path, label);
  if (!resolved.ok) return resolved;
  if (resolved.value.kind === "attribute") return ok([{ kind: "attribute", op, target: resolved.value.target, value, explicit: true }]);
  return expandSchema(schema, op, resolved.value.schema, resolved.value.extension, value, label);
}

function expandObject(schema: ResourceSchema, op: PatchOpName, value: Record<string, JsonValue>, uri: string | undefined): Result<PatchStep[]> {
  const steps: PatchStep[] = [];
  for (const [key, inner] of Object.entries(value)) {
    // `schemas` is a message member, not an attribute, at the top and inside a whole extension's value.
    if (foldCase(key) === "schemas") continue;
    const parsed = parseAttributePath(key);
    if (!parsed.ok) return fail(scimError("invalidPath", `The key "${key}" of the ${op} value is not an attribute path: ${parsed.error.detail}`));
    if (uri !== undefined && parsed.value.uri !== undefined) {
      return fail(scimError("invalidPath", `The key "${key}" inside "${uri}" must be an attribute name of that schema, without a URN.`));
    }
    const path: PatchPath = uri === undefined ? parsed.value : { ...parsed.value, uri };
    const resolved = resolvePatchPath(schema, path, key);
    if (!resolved.ok) return resolved;
    if (resolved.value.kind === "attribute") {
      steps.push({ kind: "attribute", op, target: resolved.value.target, value: inner, explicit: false });
      continue;
    }
    if (uri !== undefined) return fail(scimError("invalidPath", `The key "${key}" inside "${uri}" names a whole schema.`));
    const nested = expandSchema(schema, op, resolved.value.schema, resolved.value.extension, inner, key);
    if (!nested.ok) return nested;
    steps.push(...nested.value);
  }
  return ok(steps);
}

/** A whole schema as target: an extension behaves like a complex attribute; the core schema cannot be removed. */
function expandSchema(schema: ResourceSchema, op: PatchOpName, target: SchemaDefinition, extension: boolean, value: JsonValue | undefined, label: string): Result<PatchStep[]> {
  const clears = op === "remove" || (op === "replace" && value === null);
  if (clears) {
    if (!extension) return fail(scimError("invalidPath", `"${label}" is the core schema of ${schema.name} resources; it cannot be removed.`));
    return ok([{ kind: "clearExtension", schema: target }]);
  }
  if (value === null) return ok([]);
  if (!isJsonObject(value)) {
    return fail(scimError("invalidValue", `"${label}" names the schema ${target.id}, so the ${op} value must be an object of its attributes, got ${describeJson(value)}.`));
  }
  return expandObject(schema, op, value, target.id);
}
