import { fail, ok, type Result } from "../../../scim/result.js";
import type { ResourceSchema } from "../../../scim/schema/registry.js";
import { compileSourcePath, sourcePathShape, type SourcePath } from "../source-path.js";
import type { ExpressionError, ExpressionNode } from "./expression-ast.js";
import { expressionFunctions, type ExpressionFunction } from "./expression-functions.js";
import { parseExpression } from "./parse-expression.js";
import { kindOfAttribute, type ValueKind } from "./value-kind.js";

/** An expression ready to run: paths bound to the schema, functions looked up, kinds checked. */
export type CompiledExpression =
  | { readonly kind: "literal"; readonly valueKind: ValueKind; readonly value: string | number | boolean }
  | { readonly kind: "path"; readonly valueKind: ValueKind; readonly path: SourcePath }
  | { readonly kind: "call"; readonly valueKind: ValueKind; readonly start: number; readonly definition: ExpressionFunction; readonly args: readonly CompiledExpression[] };

/**
 * Parses an expression and binds it to the source schema: every path must name an attribute Muster
 * stores, every function must exist and get the number and kinds of arguments it takes. The error
 * names the column, e.g. `unknown function "lowr" at column 1`.
 */
export function compileExpression(schema: ResourceSchema, text: string): Result<CompiledExpression, ExpressionError> {
  const parsed = parseExpression(text);
  return parsed.ok ? bind(schema, parsed.value) : parsed;
}

function bind(schema: ResourceSchema, node: ExpressionNode): Result<CompiledExpression, ExpressionError> {
  switch (node.kind) {
    case "literal":
      return ok({ kind: "literal", value: node.value, valueKind: typeof node.value === "string" ? "text" : typeof node.value === "number" ? "number" : "boolean" });
    case "path": {
      const path = compileSourcePath(schema, node.text);
      if (!path.ok) return fail({ column: node.start + 1, message: path.error.replace(/\.$/, "") });
      const shape = sourcePathShape(path.value);
      return ok({ kind: "path", path: path.value, valueKind: kindOfAttribute(shape.type, shape.list) });
    }
    case "call":
      return bindCall(schema, node);
  }
}

function bindCall(schema: ResourceSchema, node: Extract<ExpressionNode, { kind: "call" }>): Result<CompiledExpression, ExpressionError> {
  const definition = expressionFunctions.get(node.name);
  if (!definition) {
    return fail({ column: node.start + 1, message: `unknown function "${node.written}" (known: ${[...expressionFunctions.keys()].join(", ")})` });
  }
  const count = node.args.length;
  if (count < definition.minArguments || count > definition.maxArguments) {
    return fail({ column: node.start + 1, message: `${definition.name}() takes ${arity(definition)}, got ${count}: ${definition.signature}` });
  }
  const args: CompiledExpression[] = [];
  for (const arg of node.args) {
    const bound = bind(schema, arg);
    if (!bound.ok) return bound;
    args.push(bound.value);
  }
  const checked = definition.check(args.map((arg) => arg.valueKind));
  if (!checked.ok) {
    const culprit = node.args[checked.error.argument] ?? node;
    return fail({ column: culprit.start + 1, message: `${definition.name}() ${checked.error.message}` });
  }
  return ok({ kind: "call", start: node.start, definition, args, valueKind: checked.value });
}

function arity(definition: ExpressionFunction): string {
  const { minArguments: min, maxArguments: max } = definition;
  const plural = (n: number) => (n === 1 ? "argument" : "arguments");
  if (min === max) return `${min} ${plural(min)}`;
  if (max === Number.POSITIVE_INFINITY) return `at least ${min} ${plural(min)}`;
  return `${min} to ${max} arguments`;
}
