import type { SourceResource } from "../mapping/source-resource.js";
import type { CompiledScope } from "./compile-scope.js";
import { inScope, outOfScope, type ScopeDecision } from "./scope-decision.js";

/**
 * Whether a Muster group is in an app's scope: `all` takes every group; `assigned` only the groups assigned
 * to the app (not groups nested in them). The scoping filter is over users and does not apply to groups.
 */
export function groupInScope(group: Pick<SourceResource, "id">, scope: CompiledScope): ScopeDecision {
  if (scope.kind === "all" || scope.groupIds.has(group.id)) return inScope;
  return outOfScope("not assigned to the app");
}
