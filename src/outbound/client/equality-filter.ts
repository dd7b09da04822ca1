import type { AttributePath } from "../../scim/filter/ast.js";
import { formatFilter } from "../../scim/filter/format-filter.js";
import { parseAttributePath } from "../../scim/filter/parse-path.js";

/**
 * The filter `attribute eq "value"` (RFC 7644 §3.4.2.2) as text, built through the filter AST so the
 * value is a JSON string literal (quotes, backslashes and control characters escaped) and the attribute
 * is a valid path (`userName`, `name.familyName`, `urn:…:enterprise:2.0:User:employeeNumber`).
 * Throws a RangeError for an attribute that is not a path: that is a bug or a bad mapping, not data.
 */
export function equalityFilter(attribute: string, value: string): string {
  return formatFilter({ kind: "compare", path: filterAttribute(attribute), op: "eq", value });
}

/** Parses a matching attribute into a path, throwing a RangeError when it is not one. */
export function filterAttribute(attribute: string): AttributePath {
  const parsed = parseAttributePath(attribute);
  if (!parsed.ok) throw new RangeError(`"${attribute}" is not a SCIM attribute path: ${parsed.error.detail}`);
  return parsed.value;
}
