import type { ResolvedAttribute } from "../schema/registry.js";
import type { CompareOperator } from "./ast.js";

/**
 * A filter bound to the schema: every path resolved to its definitions, every literal checked and
 * converted to the attribute's type. This is what the store compiles to SQL; it never sees raw names.
 *
 * - `compare.value` is typed by the leaf definition: boolean for boolean, number for integer/decimal,
 *   a canonical ISO 8601 UTC string (`toISOString()`) for dateTime, the unchanged string otherwise
 *   (folding for caseExact=false happens in the compiler, which knows the column).
 * - A comparison on a complex attribute without a sub-attribute is bound to its `value` sub-attribute.
 * - `eq null` becomes `not pr`; `ne null` becomes `pr`.
 * - Inside `valuePath`, the inner filter's attributes name the same top-level attribute as the
 *   valuePath, each with a `subAttribute` set; they are evaluated per element.
 */
export type ResolvedFilter =
  | { readonly kind: "compare"; readonly attr: ResolvedAttribute; readonly op: CompareOperator; readonly value: string | number | boolean }
  | { readonly kind: "present"; readonly attr: ResolvedAttribute }
  | { readonly kind: "and"; readonly left: ResolvedFilter; readonly right: ResolvedFilter }
  | { readonly kind: "or"; readonly left: ResolvedFilter; readonly right: ResolvedFilter }
  | { readonly kind: "not"; readonly operand: ResolvedFilter }
  | { readonly kind: "valuePath"; readonly attr: ResolvedAttribute; readonly filter: ResolvedFilter };
