import { isAssigned } from "../../../scim/filter/evaluate-filter.js";
import { fail, ok, type Result } from "../../../scim/result.js";
import { readSourcePath } from "../source-path.js";
import type { SourceResource } from "../source-resource.js";
import type { CompiledExpression } from "./compile-expression.js";
import type { ExpressionValue } from "./expression-functions.js";

/**
 * Runs a compiled expression on a source resource. Unassigned values (RFC 7643 §2.5: missing, "", [] and
 * {}) flow through as undefined, so `lower(nickName)` of a user without a nickname is unassigned, not "".
 * The error is a sentence with the column of the call that failed.
 */
export function evaluateExpression(expression: CompiledExpression, source: SourceResource): Result<ExpressionValue, string> {
  switch (expression.kind) {
    case "literal":
      return ok(isAssigned(expression.value) ? expression.value : undefined);
    case "path":
      return ok(readSourcePath(source, expression.path));
    case "call": {
      const values: ExpressionValue[] = [];
      for (const arg of expression.args) {
        const value = evaluateExpression(arg, source);
        if (!value.ok) return value;
        values.push(value.value);
      }
      const result = expression.definition.apply(values);
      if (!result.ok) return fail(`${result.error} (at column ${expression.start + 1})`);
      return ok(isAssigned(result.value) ? result.value : undefined);
    }
  }
}
