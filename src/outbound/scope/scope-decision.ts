/** Whether an object is in an app's scope, and in words why not. */
export type ScopeDecision = { readonly inScope: true } | { readonly inScope: false; readonly reason: string };

/** The decision for an object in scope. */
export const inScope: ScopeDecision = Object.freeze({ inScope: true });

/** The decision for an object out of scope, with its reason. */
export function outOfScope(reason: string): ScopeDecision {
  return { inScope: false, reason };
}
