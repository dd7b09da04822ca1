import type { FilterNode } from "../../scim/filter/ast.js";
import { formatFilter } from "../../scim/filter/format-filter.js";
import { parseFilter } from "../../scim/filter/parse-filter.js";
import type { ResolvedFilter } from "../../scim/filter/resolved.js";
import { resolveFilter } from "../../scim/filter/resolve-filter.js";
import { fail, ok, type Result } from "../../scim/result.js";
import { registry } from "../../scim/schema/registry.js";
import type { AppScope } from "./app-scope.js";

/** One clause of the scoping filter: its text (for reasons) and the resolved filter Muster's evaluator runs. */
export interface ScopingClause {
  readonly text: string;
  readonly filter: ResolvedFilter;
}

/** An app's scope, ready to decide quickly for many objects. */
export interface CompiledScope {
  readonly kind: AppScope["kind"];
  readonly groupIds: ReadonlySet<string>;
  readonly userIds: ReadonlySet<string>;
  /** The scoping filter's top-level `and` clauses, all of which a user must satisfy; empty without a filter. */
  readonly clauses: readonly ScopingClause[];
}

/** The parts of an app's settings that decide scope. */
export interface ScopeSettings {
  readonly scope: AppScope;
  /** A SCIM filter (RFC 7644 §3.4.2.2) over Users, e.g. `active eq true and urn:…:enterprise:2.0:User:department eq "Sales"`. */
  readonly scopingFilter?: string | undefined;
}

/**
 * Compiles an app's scope: the assigned ids as sets and the scoping filter parsed and resolved against the
 * User schema by Muster's own filter engine, split at its top-level `and`s so that an out-of-scope reason
 * can name the clause that failed. The error is the filter engine's message (`Invalid filter at position …`).
 */
export function compileScope(settings: ScopeSettings): Result<CompiledScope, string> {
  const clauses: ScopingClause[] = [];
  if (settings.scopingFilter !== undefined && settings.scopingFilter.trim() !== "") {
    const parsed = parseFilter(settings.scopingFilter);
    if (!parsed.ok) return fail(parsed.error.detail);
    for (const node of conjuncts(parsed.value)) {
      const resolved = resolveFilter(node, registry.forType("User"));
      if (!resolved.ok) return fail(resolved.error.detail);
      clauses.push({ text: formatFilter(node), filter: resolved.value });
    }
  }
  const { scope } = settings;
  return ok({
    kind: scope.kind,
    groupIds: new Set(scope.kind === "assigned" ? scope.groupIds : []),
    userIds: new Set(scope.kind === "assigned" ? scope.userIds : []),
    clauses,
  });
}

/** `a and b and c` as [a, b, c]; anything else as itself. */
function conjuncts(node: FilterNode): FilterNode[] {
  return node.kind === "and" ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node];
}
