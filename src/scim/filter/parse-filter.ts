import { scimError } from "../errors.js";
import { fail, ok, type Result } from "../result.js";
import type { FilterNode } from "./ast.js";
import { tokenize } from "./lexer.js";
import { filterLimits, TokenParser } from "./token-parser.js";

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2) into the AST. Never throws; a bad filter gives an
 * `invalidFilter` error whose detail names the 1-based character position and the offending token.
 * Also accepts `attr[filter].sub op value`, parsed as `attr[filter and sub op value]`.
 */
export function parseFilter(text: string): Result<FilterNode> {
  if (typeof text !== "string") return fail(scimError("invalidFilter", "Invalid filter: the filter must be a string."));
  if (text.length > filterLimits.maxLength) {
    return fail(scimError("invalidFilter", `Invalid filter: the filter is ${text.length} characters long; at most ${filterLimits.maxLength} are accepted.`));
  }
  if (text.trim() === "") return fail(scimError("invalidFilter", "Invalid filter: the filter is empty."));
  const parsed = new TokenParser(tokenize(text), "the end of the filter").parseWholeFilter();
  if (!parsed.ok) return fail(scimError("invalidFilter", `Invalid filter at position ${parsed.error.position + 1}: ${parsed.error.message}.`));
  return ok(parsed.value);
}
