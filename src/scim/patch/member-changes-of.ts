import { scimError } from "../errors.js";
import type { ResolvedFilter } from "../filter/resolved.js";
import type { JsonValue } from "../json.js";
import { fail, ok, type Result } from "../result.js";
import { parseMembers } from "../resource/parse-members.js";
import type { MemberChange } from "./member-change.js";
import type { PatchOpName } from "./parse-patch-request.js";
import { listsElements } from "./remove-value.js";
import type { PatchTarget } from "./resolve-patch-path.js";

/**
 * Turns one PATCH step on a relation (Group `members`) into membership changes: add → add; replace →
 * clear then add; remove without value or filter → clear; remove with a value list (Entra, ENT-55) or
 * `members[value eq "x"]` (Okta, OKT-23) → remove those ids; other filters → removeWhere. Member
 * sub-attributes are immutable or derived, so paths into them are `mutability` errors.
 */
export function memberChangesOf(op: PatchOpName, target: PatchTarget, value: JsonValue | undefined): Result<MemberChange[]> {
  const { resolved, filter, label } = target;
  if (resolved.subAttribute) {
    return fail(scimError("mutability", `${label}: member sub-attributes cannot be changed in place; remove the member and add it again.`));
  }
  if (op === "remove") {
    if (filter) {
      const values = memberValuesOf(filter);
      return ok([values ? { kind: "remove", values } : { kind: "removeWhere", filter }]);
    }
    if (!listsElements(value)) return ok([{ kind: "clear" }]);
    const listed = parseMembers(resolved.attribute, value, label);
    if (!listed.ok) return listed;
    return ok([{ kind: "remove", values: listed.value.map((member) => member.value) }]);
  }
  if (filter) {
    return fail(scimError("mutability", `${label}: a filtered ${op} would change existing members in place; add members with the path "${resolved.attribute.name}" instead.`));
  }
  const members = parseMembers(resolved.attribute, value, label);
  if (!members.ok) return members;
  const additions: MemberChange[] = members.value.length > 0 ? [{ kind: "add", members: members.value }] : [];
  return ok(op === "replace" ? [{ kind: "clear" }, ...additions] : additions);
}

/** The ids named by `value eq "x"`, or by several of those joined with `or`; undefined for any other filter. */
function memberValuesOf(filter: ResolvedFilter): string[] | undefined {
  if (filter.kind === "compare") {
    return filter.op === "eq" && filter.attr.subAttribute?.name === "value" && typeof filter.value === "string" ? [filter.value] : undefined;
  }
  if (filter.kind !== "or") return undefined;
  const left = memberValuesOf(filter.left);
  const right = memberValuesOf(filter.right);
  return left && right ? [...left, ...right] : undefined;
}
