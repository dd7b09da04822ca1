import type { PatchPath } from "../../../scim/filter/ast.js";

/**
 * A parsed mapping expression. `start` is the 0-based index of the node's first character in the text
 * (messages show it 1-based, as a column).
 */
export type ExpressionNode =
  | { readonly kind: "literal"; readonly start: number; readonly value: string | number | boolean }
  /** A source path such as `name.givenName` or `emails[type eq "work"].value`, parsed with the PATCH path grammar. */
  | { readonly kind: "path"; readonly start: number; readonly text: string; readonly path: PatchPath }
  /** A function call; `name` is lower-cased (function names are case-insensitive, so Entra's `Join` works). */
  | { readonly kind: "call"; readonly start: number; readonly name: string; readonly written: string; readonly args: readonly ExpressionNode[] };

/** A syntax or type error in an expression, with the 1-based column it was found at. */
export interface ExpressionError {
  readonly column: number;
  readonly message: string;
}

/** Formats an error as the sentence mapping validation shows: `expected ")" at column 14`. */
export function describeExpressionError(error: ExpressionError): string {
  return `${error.message} at column ${error.column}`;
}
