import { isJsonObject, type JsonObject, type JsonValue } from "../../scim/json.js";
import { fail, ok, type Result } from "../../scim/result.js";
import { describeJson } from "../../scim/resource/describe-json.js";
import { readAttribute } from "../../scim/resource/document-access.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { CompiledMapping, CompiledMappings } from "./compile-mappings.js";
import { evaluateExpression } from "./expression/evaluate-expression.js";
import { readSourcePath } from "./source-path.js";
import type { SourceResource } from "./source-resource.js";
import { withSchemas } from "./target-schemas.js";
import { writeTargetPath, type TargetPath } from "./target-path.js";

/** A reference the engine must translate: the Muster id of a resource whose target id goes at `target`. */
export interface TargetReference {
  readonly kind: "reference";
  readonly resourceType: ResourceTypeName;
  /** The id of the referenced resource in Muster (e.g. the manager's). */
  readonly sourceId: string;
  readonly target: TargetPath;
}

/** What an object should look like in the target, before references are resolved. */
export interface TargetProjection {
  readonly type: ResourceTypeName;
  /** SCIM JSON for the target: `schemas` (core URN and each extension used) and the mapped attributes; no id or meta. */
  readonly document: JsonObject;
  /** References left out of `document`; resolveReferences writes them once their targets are known. */
  readonly references: readonly TargetReference[];
}

/** Why an object could not be projected: the mapping's target and a sentence. */
export interface ProjectionProblem {
  readonly target: string;
  readonly message: string;
}

/** Options of projectResource. */
export interface ProjectOptions {
  /** True when the object is about to be created in the target: "create"-only mappings apply too. */
  readonly creating: boolean;
}

/**
 * Runs an app's mappings on one Muster object and gives the target document. Mappings apply in order; an
 * unassigned value writes nothing; a later mapping overrides what an earlier one wrote at the same place.
 * Fails (with every problem) when a value does not fit its target attribute or a required attribute
 * (`userName`, Group `displayName`) ends up without a value.
 */
export function projectResource(mappings: CompiledMappings, source: SourceResource, options: ProjectOptions): Result<TargetProjection, ProjectionProblem[]> {
  const attributes: JsonObject = {};
  const references: TargetReference[] = [];
  const problems: ProjectionProblem[] = [];
  for (const mapping of mappings.mappings) {
    if (mapping.applyOn === "create" && !options.creating) continue;
    const value = valueOf(mapping, source);
    if (!value.ok) {
      problems.push({ target: mapping.target.label, message: value.error });
      continue;
    }
    if (value.value === undefined) continue;
    if (mapping.value.kind === "reference") {
      const id = referenceId(value.value);
      if (id !== undefined) references.push({ kind: "reference", resourceType: mapping.value.resourceType, sourceId: id, target: mapping.target });
      continue;
    }
    const written = writeTargetPath(attributes, mapping.target, fitOneValue(mapping.target, value.value));
    if (!written.ok) problems.push({ target: mapping.target.label, message: `mapping ${mapping.index} gave ${describeJson(value.value)}, which does not fit: ${written.error}` });
  }
  problems.push(...missingRequired(mappings, attributes, options));
  if (problems.length > 0) return fail(problems);
  return ok({ type: mappings.type, document: withSchemas(mappings.schema, attributes), references });
}

function valueOf(mapping: CompiledMapping, source: SourceResource): Result<JsonValue | undefined, string> {
  switch (mapping.value.kind) {
    case "source":
    case "reference":
      return ok(readSourcePath(source, mapping.value.path));
    case "constant":
      return ok(mapping.value.value);
    case "expression": {
      const value = evaluateExpression(mapping.value.expression, source);
      return value.ok ? value : fail(`mapping ${mapping.index} (${mapping.value.text}): ${value.error}`);
    }
  }
}

/** The id in a reference value: `{ value: id }` or the bare id. */
function referenceId(value: JsonValue): string | undefined {
  const id = isJsonObject(value) ? value["value"] : value;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** A list written to one complex value (`addresses[type eq "work"]`) contributes its primary value, else its first. */
function fitOneValue(target: TargetPath, value: JsonValue): JsonValue {
  if (!Array.isArray(value) || target.filter === undefined || target.resolved.subAttribute !== undefined) return value;
  return value.find((element) => isJsonObject(element) && element["primary"] === true) ?? value[0] ?? value;
}

/** Required attributes without a value; on updates, those only "create" mappings write are left alone. */
function missingRequired(mappings: CompiledMappings, attributes: JsonObject, options: ProjectOptions): ProjectionProblem[] {
  const problems: ProjectionProblem[] = [];
  for (const attribute of mappings.schema.core.attributes) {
    if (!attribute.required || attribute.mutability === "readOnly") continue;
    const value = readAttribute(attributes, { schema: mappings.schema.core.id, extension: false, attribute });
    if (value !== undefined && !(typeof value === "string" && value.trim() === "")) continue;
    const applies = mappings.mappings.some((mapping) => mapping.target.attributeName === attribute.name && (options.creating || mapping.applyOn === "always"));
    if (applies) problems.push({ target: attribute.name, message: `${attribute.name} is required, but the mappings gave it no value for this ${mappings.type.toLowerCase()}` });
  }
  return problems;
}
