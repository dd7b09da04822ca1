import { scimError } from "../errors.js";
import { fail, ok, type Result } from "../result.js";
import type { AttributeDefinition } from "../schema/attribute.js";
import { describeAttribute, findSubAttribute, leafOf, type ResolvedAttribute, type ResourceSchema } from "../schema/registry.js";
import type { AttributePath, CompareOperator, FilterNode, Literal } from "./ast.js";
import { formatPath } from "./format-filter.js";
import { parseDateTime } from "./parse-date-time.js";
import type { ResolvedFilter } from "./resolved.js";

const orderingOperators: ReadonlySet<CompareOperator> = new Set(["gt", "ge", "lt", "le"]);
const substringOperators: ReadonlySet<CompareOperator> = new Set(["co", "sw", "ew"]);

/**
 * Binds every path of a parsed filter to the resource type's schema and checks every literal against
 * the attribute's type (RFC 7644 §3.4.2.2), giving the ResolvedFilter the store compiles. Unknown or
 * unfilterable attributes and operators or values that do not fit the type give `invalidFilter`.
 */
export function resolveFilter(node: FilterNode, schema: ResourceSchema): Result<ResolvedFilter> {
  switch (node.kind) {
    case "and":
    case "or": {
      const left = resolveFilter(node.left, schema);
      if (!left.ok) return left;
      const right = resolveFilter(node.right, schema);
      if (!right.ok) return right;
      return ok({ kind: node.kind, left: left.value, right: right.value });
    }
    case "not": {
      const operand = resolveFilter(node.operand, schema);
      return operand.ok ? ok({ kind: "not", operand: operand.value }) : operand;
    }
    case "present": {
      const attr = bindPath(node.path, schema);
      return attr.ok ? ok({ kind: "present", attr: attr.value }) : attr;
    }
    case "compare": {
      const attr = bindPath(node.path, schema);
      return attr.ok ? bindComparison(attr.value, node.op, node.value) : attr;
    }
    case "valuePath":
      return resolveValuePath(node.path, node.filter, schema);
  }
}

/**
 * Binds a top-level path; whole-schema references and `returned: never` attributes cannot be filtered on.
 * An extension attribute unique to one extension may be named without its URN, as in Entra's reference
 * check `id eq "…" and manager eq "…"` (ENT-34), the same way PATCH paths resolve.
 */
function bindPath(path: AttributePath, schema: ResourceSchema): Result<ResolvedAttribute> {
  const resolved = schema.resolve(schema.qualifyUnique(path));
  if (!resolved.ok) return invalid(`${resolved.error}`);
  if (resolved.value.kind === "schema") {
    return invalid(`"${formatPath(path)}" names the whole schema "${resolved.value.schema.id}", not an attribute`);
  }
  const { schema: urn, extension, attribute, subAttribute } = resolved.value;
  return checkFilterable({ schema: urn, extension, attribute, ...(subAttribute ? { subAttribute } : {}) });
}

function checkFilterable(attr: ResolvedAttribute): Result<ResolvedAttribute> {
  if (attr.attribute.returned === "never" || attr.subAttribute?.returned === "never") {
    return invalid(`"${describeAttribute(attr)}" is never returned, so it cannot be used in a filter`);
  }
  return ok(attr);
}

function resolveValuePath(path: AttributePath, filter: FilterNode, schema: ResourceSchema): Result<ResolvedFilter> {
  const parent = bindPath(path, schema);
  if (!parent.ok) return parent;
  if (parent.value.subAttribute !== undefined || parent.value.attribute.type !== "complex") {
    return invalid(`"${formatPath(path)}[…]" filters the values of a complex attribute, but "${describeAttribute(parent.value)}" is not one`);
  }
  const inner = resolveElementFilter(filter, parent.value);
  return inner.ok ? ok({ kind: "valuePath", attr: parent.value, filter: inner.value }) : inner;
}

/** Resolves the filter inside `attr[…]`: its paths are plain sub-attribute names of `attr`. */
function resolveElementFilter(node: FilterNode, parent: ResolvedAttribute): Result<ResolvedFilter> {
  switch (node.kind) {
    case "and":
    case "or": {
      const left = resolveElementFilter(node.left, parent);
      if (!left.ok) return left;
      const right = resolveElementFilter(node.right, parent);
      if (!right.ok) return right;
      return ok({ kind: node.kind, left: left.value, right: right.value });
    }
    case "not": {
      const operand = resolveElementFilter(node.operand, parent);
      return operand.ok ? ok({ kind: "not", operand: operand.value }) : operand;
    }
    case "valuePath":
      return invalid(`value filters cannot be nested: "${formatPath(node.path)}[…]" appears inside "${parent.attribute.name}[…]"`);
    case "present": {
      const attr = bindSubAttribute(node.path, parent);
      return attr.ok ? ok({ kind: "present", attr: attr.value }) : attr;
    }
    case "compare": {
      const attr = bindSubAttribute(node.path, parent);
      return attr.ok ? bindComparison(attr.value, node.op, node.value) : attr;
    }
  }
}

function bindSubAttribute(path: AttributePath, parent: ResolvedAttribute): Result<ResolvedAttribute> {
  const name = parent.attribute.name;
  if (path.uri !== undefined || path.subAttribute !== undefined) {
    return invalid(`inside "${name}[…]" name a sub-attribute of "${name}" directly, not "${formatPath(path)}"`);
  }
  const sub = findSubAttribute(parent.attribute, path.attribute);
  if (!sub) return invalid(`unknown sub-attribute "${path.attribute}" of "${name}" inside "${name}[…]"`);
  return checkFilterable({ ...parent, subAttribute: sub });
}

/** Applies the null rules, binds bare complex attributes to `value`, then checks operator and literal against the type. */
function bindComparison(attr: ResolvedAttribute, op: CompareOperator, value: Literal): Result<ResolvedFilter> {
  if (value === null) {
    if (op === "eq") return ok({ kind: "not", operand: { kind: "present", attr } });
    if (op === "ne") return ok({ kind: "present", attr });
    return invalid(`"${op} null" is not meaningful for "${describeAttribute(attr)}"; only "eq null" and "ne null" are`);
  }
  let bound = attr;
  if (leafOf(attr).type === "complex") {
    const valueSub = findSubAttribute(attr.attribute, "value");
    if (!valueSub) {
      return invalid(`"${describeAttribute(attr)}" is a complex attribute without a "value" sub-attribute; compare one of its sub-attributes instead`);
    }
    bound = { ...attr, subAttribute: valueSub };
  }
  const converted = convertLiteral(leafOf(bound), op, value, describeAttribute(bound));
  return converted.ok ? ok({ kind: "compare", attr: bound, op, value: converted.value }) : converted;
}

/** Checks that `op` applies to the leaf type and converts the literal to the type's representation (see resolved.ts). */
function convertLiteral(leaf: AttributeDefinition, op: CompareOperator, value: string | number | boolean, shown: string): Result<string | number | boolean> {
  const typeName = `${leaf.type} attribute "${shown}"`;
  const shownValue = JSON.stringify(value);
  if (orderingOperators.has(op) && (leaf.type === "boolean" || leaf.type === "binary")) {
    return invalid(`"${op}" cannot be used on the ${typeName}: ${leaf.type} values have no order`);
  }
  if (substringOperators.has(op) && leaf.type !== "string" && leaf.type !== "reference" && leaf.type !== "binary") {
    return invalid(`"${op}" cannot be used on the ${typeName}: it is a string operator`);
  }
  switch (leaf.type) {
    case "boolean":
      if (typeof value === "boolean") return ok(value);
      if (typeof value === "string" && /^(true|false)$/i.test(value)) return ok(value.toLowerCase() === "true");
      return invalid(`the ${typeName} needs true or false, not ${shownValue}`);
    case "integer":
      if (typeof value === "number" && Number.isInteger(value)) return ok(value);
      return invalid(`the ${typeName} needs an integer, not ${shownValue}`);
    case "decimal":
      if (typeof value === "number") return ok(value);
      return invalid(`the ${typeName} needs a number, not ${shownValue}`);
    case "dateTime": {
      const date = typeof value === "string" ? parseDateTime(value) : undefined;
      if (date) return ok(date.toISOString());
      return invalid(`the ${typeName} needs a date and time such as "2026-01-01T00:00:00Z", not ${shownValue}`);
    }
    case "string":
    case "reference":
    case "binary":
      if (typeof value === "string") return ok(value);
      if (typeof value === "number") return ok(String(value));
      return invalid(`the ${typeName} needs a string, not ${shownValue}`);
    case "complex":
      return invalid(`the ${typeName} cannot be compared with a value`);
  }
}

function invalid(reason: string): Result<never> {
  return fail(scimError("invalidFilter", `Invalid filter: ${reason}.`));
}
