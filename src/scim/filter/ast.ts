/**
 * The one AST for SCIM filters (RFC 7644 §3.4.2.2), PATCH paths (§3.5.2) and attribute lists (§3.4.2.5).
 * Parsers produce these nodes from untrusted text; nothing downstream splits strings.
 */

/** An attribute reference as written: `[uri:]attribute[.subAttribute]`. Names keep the case the client used. */
export interface AttributePath {
  /** Schema URN prefix, e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`. */
  readonly uri?: string;
  readonly attribute: string;
  readonly subAttribute?: string;
}

/** RFC 7644 §3.4.2.2 attribute operators other than `pr`. Always lower case in the AST. */
export type CompareOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";

/** A JSON literal in a filter (`compValue`). */
export type Literal = string | number | boolean | null;

/** A parsed filter expression. */
export type FilterNode =
  | { readonly kind: "compare"; readonly path: AttributePath; readonly op: CompareOperator; readonly value: Literal }
  | { readonly kind: "present"; readonly path: AttributePath }
  | { readonly kind: "and"; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: "or"; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: "not"; readonly operand: FilterNode }
  /**
   * `attr[filter]`: true when one element of the multi-valued attribute satisfies `filter`, whose paths
   * are relative to the element (`emails[type eq "work"]` has filter `type eq "work"`).
   * `emails[type eq "work"].value eq "x"` parses to `emails[type eq "work" and value eq "x"]`.
   */
  | { readonly kind: "valuePath"; readonly path: AttributePath; readonly filter: FilterNode };

/**
 * A PATCH operation path (RFC 7644 §3.5.2): `attrPath`, `valuePath` or `valuePath.subAttr`.
 * For `emails[type eq "work"].value`: attribute `emails`, valueFilter `type eq "work"`, subAttribute `value`.
 * For `name.givenName`: attribute `name`, subAttribute `givenName`, no valueFilter.
 */
export interface PatchPath extends AttributePath {
  readonly valueFilter?: FilterNode;
}
