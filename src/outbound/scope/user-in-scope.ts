import { matchesResource } from "../../scim/filter/evaluate-filter.js";
import type { JsonObject } from "../../scim/json.js";
import type { SourceResource } from "../mapping/source-resource.js";
import type { CompiledScope } from "./compile-scope.js";
import { inScope, outOfScope, type ScopeDecision } from "./scope-decision.js";

/**
 * Whether a Muster user is in an app's scope. `all`: every user. `assigned`: users assigned to the app
 * themselves, or direct members of an assigned group (`directGroupIds`: the groups the user is a direct
 * member of). Nested groups are not expanded: a member of a group inside an assigned group is not in
 * scope, as in Entra ID. In both modes the scoping filter must then hold, evaluated on the user's
 * document (with `id` and `meta`) by Muster's filter evaluator; the reason names the clause that fails.
 */
export function userInScope(user: SourceResource, directGroupIds: Iterable<string>, scope: CompiledScope): ScopeDecision {
  if (scope.kind === "assigned" && !scope.userIds.has(user.id) && !someAssigned(directGroupIds, scope.groupIds)) {
    return outOfScope("not assigned to the app, directly or as a direct member of an assigned group");
  }
  if (scope.clauses.length === 0) return inScope;
  const document = filterDocument(user);
  const failed = scope.clauses.find((clause) => !matchesResource(document, clause.filter));
  return failed ? outOfScope(`scoping filter: ${failed.text} is false`) : inScope;
}

function someAssigned(groupIds: Iterable<string>, assigned: ReadonlySet<string>): boolean {
  for (const id of groupIds) if (assigned.has(id)) return true;
  return false;
}

/** The document filters are evaluated on: the stored attributes plus `id` and `meta` (see evaluate-filter.ts). */
function filterDocument(user: SourceResource): JsonObject {
  const meta: JsonObject = {};
  if (user.created !== undefined) meta["created"] = user.created;
  if (user.lastModified !== undefined) meta["lastModified"] = user.lastModified;
  return { ...user.attributes, id: user.id, ...(Object.keys(meta).length > 0 ? { meta } : {}) };
}
