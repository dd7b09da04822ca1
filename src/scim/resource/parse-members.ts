import { scimError } from "../errors.js";
import { isJsonObject } from "../json.js";
import { fail, ok, type Result } from "../result.js";
import type { AttributeDefinition } from "../schema/attribute.js";
import { foldCase } from "../fold.js";
import { coerceElement } from "./coerce-value.js";
import { describeJson } from "./describe-json.js";

/** A group member as a client asserts it: the member's id and, optionally, what it is. */
export interface MemberInput {
  readonly value: string;
  readonly type?: "User" | "Group";
}

const memberTypes = new Map<string, "User" | "Group">([
  [foldCase("User"), "User"],
  [foldCase("Group"), "Group"],
]);

/**
 * Parses group member entries (RFC 7643 §4.2): each needs a non-empty string `value`; `type`, when given,
 * is User or Group in any case; `display` and `$ref` are dropped because the server derives them.
 * null or [] mean no members; a single object counts as a list of one; repeated values collapse.
 */
export function parseMembers(definition: AttributeDefinition, input: unknown, label: string): Result<MemberInput[]> {
  if (input === null || input === undefined) return ok([]);
  const entries: unknown[] = Array.isArray(input) ? input : [input];
  const members: MemberInput[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const where = Array.isArray(input) ? `${label}[${index}]` : label;
    const coerced = coerceElement(definition, entry, where);
    if (!coerced.ok) return coerced;
    const element = coerced.value;
    const value = isJsonObject(element) ? element["value"] : undefined;
    if (typeof value !== "string" || value === "") {
      return fail(scimError("invalidValue", `${where} needs a non-empty string "value" (the member's id), got ${describeJson(entry)}.`));
    }
    const rawType = isJsonObject(element) ? element["type"] : undefined;
    let type: "User" | "Group" | undefined;
    if (typeof rawType === "string") {
      type = memberTypes.get(foldCase(rawType));
      if (!type) return fail(scimError("invalidValue", `${where}.type must be "User" or "Group", got ${describeJson(rawType)}.`));
    }
    if (seen.has(value)) continue;
    seen.add(value);
    members.push(type ? { value, type } : { value });
  }
  return ok(members);
}
