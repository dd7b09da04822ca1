import { fail, ok, type Result } from "../../scim/result.js";
import type { JsonValue } from "../../scim/json.js";
import { findSubAttribute, leafOf, registry, type ResourceSchema } from "../../scim/schema/registry.js";
import type { AttributeDefinition, ResourceTypeName } from "../../scim/schema/attribute.js";
import type { ApplyOn, AttributeMapping, MappingProblem } from "./attribute-mapping.js";
import { compileExpression, type CompiledExpression } from "./expression/compile-expression.js";
import { describeExpressionError } from "./expression/expression-ast.js";
import { describeKind, kindOfAttribute, type ValueKind } from "./expression/value-kind.js";
import { referenceTypeOf } from "./reference-type.js";
import { compileSourcePath, sourcePathShape, type SourcePath } from "./source-path.js";
import { compileTargetPath, writeTargetPath, type TargetPath } from "./target-path.js";

/** Where a compiled mapping's value comes from. */
export type MappingValue =
  | { readonly kind: "source"; readonly path: SourcePath }
  /** A reference to another resource (`manager`): the source holds a Muster id that the engine turns into the target's id. */
  | { readonly kind: "reference"; readonly path: SourcePath; readonly resourceType: ResourceTypeName }
  | { readonly kind: "constant"; readonly value: JsonValue }
  | { readonly kind: "expression"; readonly expression: CompiledExpression; readonly text: string };

/** One mapping ready to run. */
export interface CompiledMapping {
  /** Position in the configured list. */
  readonly index: number;
  readonly target: TargetPath;
  readonly value: MappingValue;
  readonly applyOn: ApplyOn;
}

/** An app's mappings for one resource type, checked and bound to the schema once; projectResource runs them per object. */
export interface CompiledMappings {
  readonly type: ResourceTypeName;
  readonly schema: ResourceSchema;
  readonly mappings: readonly CompiledMapping[];
  /** Targets of "create"-only mappings: diffProjection never changes them after creation. */
  readonly createOnly: readonly TargetPath[];
}

/**
 * Checks and compiles mappings for Users or Groups: each needs a valid target, exactly one of source,
 * constant and expression, values that fit the target's type as far as can be known before any object is
 * read, and no target may be written twice; the type's required attribute (User `userName`, Group
 * `displayName`) must be mapped. Every problem is reported, not just the first.
 */
export function compileMappings(type: ResourceTypeName, mappings: readonly AttributeMapping[]): Result<CompiledMappings, MappingProblem[]> {
  const schema = registry.forType(type);
  const problems: MappingProblem[] = [];
  const compiled: CompiledMapping[] = [];
  const seen = new Map<string, number>();
  mappings.forEach((mapping, index) => {
    const one = compileMapping(schema, mapping, index);
    if (!one.ok) {
      problems.push(...one.error);
      return;
    }
    const key = targetKey(one.value.target);
    const earlier = seen.get(key);
    if (earlier !== undefined) problems.push({ index, field: "target", message: `"${mapping.target}" is already written by mapping ${earlier}; map each target once` });
    else seen.set(key, index);
    compiled.push(one.value);
  });
  for (const attribute of schema.core.attributes) {
    if (!attribute.required || attribute.mutability === "readOnly") continue;
    // A mapping that targets it but is wrong in another way has its own problem already.
    const targeted = mappings.some((mapping) => typeof mapping.target === "string" && writes(schema, mapping.target, attribute.name));
    if (!targeted) {
      problems.push({ message: `${attribute.name} is required for ${type}s in SCIM, so a mapping must write it (the default maps ${attribute.name} from ${attribute.name})` });
    }
  }
  if (problems.length > 0) return fail(problems);
  return ok({ type, schema, mappings: compiled, createOnly: compiled.filter((mapping) => mapping.applyOn === "create").map((mapping) => mapping.target) });
}

function writes(schema: ResourceSchema, target: string, attributeName: string): boolean {
  const compiled = compileTargetPath(schema, target);
  return compiled.ok && compiled.value.attributeName === attributeName;
}

function compileMapping(schema: ResourceSchema, mapping: AttributeMapping, index: number): Result<CompiledMapping, MappingProblem[]> {
  const problems: MappingProblem[] = [];
  const target = typeof mapping.target === "string" ? compileTargetPath(schema, mapping.target) : fail("must be a target attribute path");
  if (!target.ok) problems.push({ index, field: "target", message: target.error });
  const given = (["source", "constant", "expression"] as const).filter((field) => mapping[field] !== undefined);
  if (given.length !== 1) {
    problems.push({ index, message: given.length === 0 ? "needs one of source, constant or expression" : `has ${given.join(" and ")}; give exactly one of source, constant or expression` });
  }
  const applyOn = mapping.applyOn ?? "always";
  if (applyOn !== "always" && applyOn !== "create") problems.push({ index, field: "applyOn", message: `must be "always" or "create"` });
  if (problems.length > 0 || !target.ok) return fail(problems);
  const value = compileValue(schema, mapping, target.value);
  if (!value.ok) return fail([{ index, ...value.error }]);
  return ok({ index, target: target.value, value: value.value, applyOn });
}

function compileValue(schema: ResourceSchema, mapping: AttributeMapping, target: TargetPath): Result<MappingValue, Omit<MappingProblem, "index">> {
  if (mapping.source !== undefined) {
    if (typeof mapping.source !== "string") return fail({ field: "source", message: "must be a source attribute path" });
    const path = compileSourcePath(schema, mapping.source);
    if (!path.ok) return fail({ field: "source", message: path.error });
    const referenceType = referenceTypeOf(path.value.resolved, path.value.filter !== undefined);
    if (referenceType !== undefined && referenceTypeOf(target.resolved, target.filter !== undefined) === referenceType) {
      return ok({ kind: "reference", path: path.value, resourceType: referenceType });
    }
    const shape = sourcePathShape(path.value);
    const fits = checkFits(kindOfAttribute(shape.type, shape.list), target, `"${mapping.source}"`, sourceDefinition(path.value));
    return fits.ok ? ok({ kind: "source", path: path.value }) : fail({ field: "source", message: fits.error });
  }
  if (mapping.expression !== undefined) {
    if (typeof mapping.expression !== "string") return fail({ field: "expression", message: "must be text" });
    const expression = compileExpression(schema, mapping.expression);
    if (!expression.ok) return fail({ field: "expression", message: describeExpressionError(expression.error) });
    const fits = checkFits(expression.value.valueKind, target, "the expression", undefined);
    return fits.ok ? ok({ kind: "expression", expression: expression.value, text: mapping.expression }) : fail({ field: "expression", message: fits.error });
  }
  const constant = mapping.constant;
  if (constant === undefined || constant === null) return fail({ field: "constant", message: "must be a value; to send nothing, leave the attribute unmapped" });
  const written = writeTargetPath({}, target, constant);
  return written.ok ? ok({ kind: "constant", value: constant }) : fail({ field: "constant", message: written.error });
}

/** The definition whose sub-attributes a complex source value carries, for the sub-attribute check. */
function sourceDefinition(path: SourcePath): AttributeDefinition | undefined {
  const leaf = leafOf(path.resolved);
  return leaf.type === "complex" ? leaf : undefined;
}

/** What a target path accepts: a list (whole multi-valued attribute), one complex value, or a scalar of the leaf type. */
function targetKind(target: TargetPath): ValueKind {
  const { attribute, subAttribute } = target.resolved;
  if (subAttribute !== undefined) return kindOfAttribute(subAttribute.type, false);
  if (attribute.multiValued && target.filter === undefined) return "list";
  return kindOfAttribute(attribute.type, false);
}

/**
 * Whether values of a kind can be written to the target, as far as is known before any object is read.
 * A scalar fits a complex target that has a `value` sub-attribute (it becomes `{value}`); a list fits one
 * complex value (its primary, else first, value is taken); text fits a boolean (as "true" or "false").
 */
function checkFits(kind: ValueKind, target: TargetPath, what: string, complexSource: AttributeDefinition | undefined): Result<true, string> {
  const wanted = targetKind(target);
  const name = target.label;
  const targetDefinition = target.resolved.subAttribute ?? target.resolved.attribute;
  if (kind === "any") return ok(true);
  if (wanted === "list" || wanted === "complex") {
    if (kind === "list" || kind === "complex") return checkSubAttributes(complexSource, targetDefinition, what, name);
    if (findSubAttribute(target.resolved.attribute, "value")) return ok(true);
    return fail(`${what} gives ${describeKind(kind)}, but ${name} takes complex values`);
  }
  if (kind === "list" || kind === "complex") {
    const hint = kind === "list" ? ` (pick one value with a filter and a sub-attribute, e.g. emails[type eq "work"].value)` : " (name one of its sub-attributes)";
    return fail(`${what} gives ${describeKind(kind)}, but ${name} takes ${describeKind(wanted)}${hint}`);
  }
  if (wanted === "text" && kind === "boolean") return fail(`${what} gives a boolean, but ${name} takes text (convert it with an expression, e.g. lower(active))`);
  if (wanted === "boolean" && kind === "number") return fail(`${what} gives a number, but ${name} takes a boolean`);
  return ok(true);
}

/** A complex source value is accepted only when the target knows each of its sub-attributes. */
function checkSubAttributes(source: AttributeDefinition | undefined, target: AttributeDefinition, what: string, name: string): Result<true, string> {
  if (!source) return ok(true);
  const unknown = (source.subAttributes ?? []).filter((sub) => sub.mutability !== "readOnly" && !findSubAttribute(target, sub.name)).map((sub) => sub.name);
  if (unknown.length === 0) return ok(true);
  return fail(`${what} has sub-attributes that ${name} does not (${unknown.join(", ")}); map the sub-attributes one by one`);
}

/** Two targets are the same when they name the same attribute, sub-attribute and filter, however they are spelled. */
function targetKey(target: TargetPath): string {
  const sub = target.resolved.subAttribute ? `.${target.resolved.subAttribute.name}` : "";
  const open = target.label.indexOf("[");
  const filter = target.filter && open >= 0 ? target.label.slice(open, target.label.lastIndexOf("]") + 1).replace(/\s+/g, " ").toLowerCase() : "";
  return `${target.attributeName.toLowerCase()}${filter}${sub.toLowerCase()}`;
}
