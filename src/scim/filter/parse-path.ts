import { scimError } from "../errors.js";
import { fail, ok, type Result } from "../result.js";
import type { AttributePath, PatchPath } from "./ast.js";
import { clip, describeToken, readAttributePath, tokenize } from "./lexer.js";
import { filterLimits, TokenParser } from "./token-parser.js";

const endOfPath = "the end of the path";

/**
 * Parses a PATCH operation path (RFC 7644 §3.5.2: `attrPath / valuePath [subAttr]`), e.g.
 * `emails[type eq "work"].value`. Bad path syntax gives `invalidPath`; a bad filter inside the
 * brackets gives `invalidFilter`. Positions in details are 1-based.
 */
export function parsePatchPath(text: string): Result<PatchPath> {
  const leading = readLeadingPath(text, "path");
  if (!leading.ok) return leading;
  const { parser, path } = leading.value;
  if (parser.peek().kind !== "[") return expectEnd(parser, path);
  if (path.subAttribute !== undefined) {
    return pathError(parser.peek().start, `a value filter "[…]" must follow the attribute name directly, not the sub-attribute "${path.subAttribute}"`);
  }
  const filter = parser.parseBracketFilter();
  if (!filter.ok) {
    return fail(scimError("invalidFilter", `Invalid filter in path at position ${filter.error.position + 1}: ${filter.error.message}.`));
  }
  const patchPath: PatchPath = { ...path, valueFilter: filter.value };
  const after = parser.peek();
  if (after.kind !== "word" || !after.text.startsWith(".")) return expectEnd(parser, patchPath);
  parser.next();
  const sub = readAttributePath(after.text.slice(1));
  if (!sub.ok || sub.value.uri !== undefined || sub.value.subAttribute !== undefined) {
    return pathError(after.start, `expected a sub-attribute name after "]", found "${clip(after.text)}"`);
  }
  return expectEnd(parser, { ...patchPath, subAttribute: sub.value.attribute });
}

/**
 * Parses one entry of `attributes`, `excludedAttributes` or `sortBy` (RFC 7644 §3.4.2.5, §3.4.2.3):
 * `[uri:]attr[.sub]`. A bare schema URN parses as uri + last segment (`…:2.0:User` → attribute `User`),
 * which the registry's `resolve` recognises as a whole-schema reference. Errors are `invalidPath`.
 */
export function parseAttributePath(text: string): Result<AttributePath> {
  const leading = readLeadingPath(text, "attribute path");
  if (!leading.ok) return leading;
  return expectEnd(leading.value.parser, leading.value.path);
}

/** Checks the text and reads the `[uri:]attr[.sub]` it starts with, leaving the parser after it. */
function readLeadingPath(text: string, what: string): Result<{ parser: TokenParser; path: AttributePath }> {
  const checked = checkText(text, what);
  if (!checked.ok) return checked;
  const parser = new TokenParser(tokenize(text), endOfPath);
  const first = parser.next();
  if (first.kind !== "word") return pathError(first.start, parser.unexpected(first, "an attribute path").message);
  const path = readAttributePath(first.text);
  if (!path.ok) return pathError(first.start, `expected an attribute path, but ${path.error}`);
  return ok({ parser, path: path.value });
}

/** Parses a comma-separated `attributes` / `excludedAttributes` value (RFC 7644 §3.4.2.5) into paths. */
export function parseAttributeList(text: string): Result<AttributePath[]> {
  if (typeof text !== "string") return fail(scimError("invalidPath", "Invalid attribute list: the list must be a string."));
  const paths: AttributePath[] = [];
  let offset = 0;
  for (const entry of text.split(",")) {
    const parsed = parseAttributePath(entry);
    if (!parsed.ok) {
      return fail(scimError("invalidPath", `Invalid attribute list entry ${paths.length + 1} ("${clip(entry.trim())}", starting at position ${offset + 1}): ${parsed.error.detail}`));
    }
    paths.push(parsed.value);
    offset += entry.length + 1;
  }
  return ok(paths);
}

function checkText(text: string, what: string): Result<true> {
  if (typeof text !== "string") return fail(scimError("invalidPath", `Invalid ${what}: the ${what} must be a string.`));
  if (text.length > filterLimits.maxLength) {
    return fail(scimError("invalidPath", `Invalid ${what}: it is ${text.length} characters long; at most ${filterLimits.maxLength} are accepted.`));
  }
  if (text.trim() === "") return fail(scimError("invalidPath", `Invalid ${what}: the ${what} is empty.`));
  return ok(true);
}

function expectEnd<T>(parser: TokenParser, value: T): Result<T> {
  const token = parser.peek();
  if (token.kind === "end") return ok(value);
  return pathError(token.start, `expected ${endOfPath}, found ${describeToken(token, endOfPath)}`);
}

function pathError(position: number, message: string): Result<never> {
  return fail(scimError("invalidPath", `Invalid path at position ${position + 1}: ${message}.`));
}
