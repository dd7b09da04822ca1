import type { AttributePath, FilterNode, Literal } from "./ast.js";

/** Prints a path as written in filters: `[uri:]attribute[.subAttribute]`. */
export function formatPath(path: AttributePath): string {
  const base = path.uri !== undefined ? `${path.uri}:${path.attribute}` : path.attribute;
  return path.subAttribute !== undefined ? `${base}.${path.subAttribute}` : base;
}

/**
 * Prints canonical filter text (lower-case operators, JSON literals, minimal parentheses) such that
 * `parseFilter(formatFilter(ast))` deep-equals `ast` for every AST the parser can produce.
 */
export function formatFilter(node: FilterNode): string {
  switch (node.kind) {
    case "compare":
      return `${formatPath(node.path)} ${node.op} ${formatLiteral(node.value)}`;
    case "present":
      return `${formatPath(node.path)} pr`;
    case "valuePath":
      return `${formatPath(node.path)}[${formatFilter(node.filter)}]`;
    case "not":
      return `not (${formatFilter(node.operand)})`;
    case "and":
    case "or": {
      // The parser groups `and`/`or` to the left, so a right operand of the same or lower precedence needs parentheses.
      const left = precedence(node.left) < precedence(node) ? `(${formatFilter(node.left)})` : formatFilter(node.left);
      const right = precedence(node.right) <= precedence(node) ? `(${formatFilter(node.right)})` : formatFilter(node.right);
      return `${left} ${node.kind} ${right}`;
    }
  }
}

function precedence(node: FilterNode): number {
  if (node.kind === "or") return 1;
  if (node.kind === "and") return 2;
  return 3;
}

/** JSON text of a literal; `-0` keeps its sign so that it parses back to `-0`. */
function formatLiteral(value: Literal): string {
  if (typeof value === "number" && Object.is(value, -0)) return "-0";
  return JSON.stringify(value);
}
