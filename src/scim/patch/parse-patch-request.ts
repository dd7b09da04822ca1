import { scimError } from "../errors.js";
import type { PatchPath } from "../filter/ast.js";
import { parsePatchPath } from "../filter/parse-path.js";
import { foldCase } from "../fold.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import { fail, ok, type Result } from "../result.js";
import { describeJson } from "../resource/describe-json.js";

/** The three PATCH operations of RFC 7644 §3.5.2, lower-cased. */
export type PatchOpName = "add" | "remove" | "replace";

/** One operation of a PatchOp message, with its path parsed. */
export interface PatchOperation {
  /** Position in `Operations` (0-based), used in error details. */
  readonly index: number;
  readonly op: PatchOpName;
  readonly path?: PatchPath;
  /** The path as the client wrote it. */
  readonly pathText?: string;
  /** The `value` member; undefined when absent. */
  readonly value: JsonValue | undefined;
}

/** Most operations one PATCH request may carry; more is refused rather than processed slowly. */
export const maxPatchOperations = 1000;

const opNames: ReadonlyMap<string, PatchOpName> = new Map([
  ["add", "add"],
  ["remove", "remove"],
  ["replace", "replace"],
]);

/**
 * Parses a PatchOp message (RFC 7644 §3.5.2). `schemas` is tolerated, member names (`Operations`, `op`,
 * `path`, `value`) and `op` values are matched case-insensitively (Entra sends `Replace`, ENT-30),
 * paths are parsed with the shared path grammar. Structural problems are `invalidSyntax`.
 */
export function parsePatchRequest(body: unknown): Result<PatchOperation[]> {
  if (!isJsonObject(body)) return fail(scimError("invalidSyntax", `A PATCH body must be a PatchOp JSON object with an "Operations" array, got ${describeJson(body)}.`));
  const members = membersByFoldedName(body, "PATCH body");
  if (!members.ok) return members;
  const operations = members.value.get("operations");
  if (!Array.isArray(operations) || operations.length === 0) {
    return fail(scimError("invalidSyntax", `A PATCH body needs "Operations": a non-empty array of operations (RFC 7644 §3.5.2), got ${describeJson(operations)}.`));
  }
  if (operations.length > maxPatchOperations) {
    return fail(scimError("payloadTooLarge", `A PATCH request may carry at most ${maxPatchOperations} operations; this one has ${operations.length}. Split it into several requests.`));
  }
  const parsed: PatchOperation[] = [];
  for (const [index, raw] of operations.entries()) {
    const operation = parseOperation(raw, index);
    if (!operation.ok) return operation;
    parsed.push(operation.value);
  }
  return ok(parsed);
}

function parseOperation(raw: JsonValue, index: number): Result<PatchOperation> {
  const where = `Operations[${index}]`;
  if (!isJsonObject(raw)) return fail(scimError("invalidSyntax", `${where} must be an object with "op", "path" and "value", got ${describeJson(raw)}.`));
  const members = membersByFoldedName(raw, where);
  if (!members.ok) return members;
  const opText = members.value.get("op");
  const op = typeof opText === "string" ? opNames.get(foldCase(opText)) : undefined;
  if (!op) return fail(scimError("invalidSyntax", `${where}.op must be "add", "remove" or "replace" (any case), got ${describeJson(opText)}.`));
  const value = members.value.get("value");
  const pathValue = members.value.get("path");
  // An empty or null path is read as no path, which some clients send for path-less add/replace.
  if (pathValue === undefined || pathValue === null || pathValue === "") return ok({ index, op, value });
  if (typeof pathValue !== "string") return fail(scimError("invalidPath", `${where}.path must be a string, got ${describeJson(pathValue)}.`));
  const path = parsePatchPath(pathValue);
  if (!path.ok) return fail(scimError(path.error.code, `${where}: ${path.error.detail}`));
  return ok({ index, op, path: path.value, pathText: pathValue, value });
}

function membersByFoldedName(object: JsonObject, where: string): Result<Map<string, JsonValue>> {
  const members = new Map<string, JsonValue>();
  for (const [key, value] of Object.entries(object)) {
    const folded = foldCase(key);
    if (members.has(folded)) return fail(scimError("invalidSyntax", `${where} has the member "${key}" more than once (names differing only in case).`));
    members.set(folded, value);
  }
  return ok(members);
}
