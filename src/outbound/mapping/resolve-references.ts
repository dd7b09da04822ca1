import type { JsonObject } from "../../scim/json.js";
import { fail, ok, type Result } from "../../scim/result.js";
import { registry } from "../../scim/schema/registry.js";
import { withSchemas, withoutSchemas } from "./target-schemas.js";
import type { TargetProjection, TargetReference } from "./project-resource.js";
import { writeTargetPath } from "./target-path.js";

/** A projection with the references whose target ids are known written in. */
export interface ResolvedProjection {
  /** The document to send (and hash): `manager` carries the target's id of the manager. */
  readonly document: JsonObject;
  /** References whose resource does not exist in the target (yet): sent in a later pass once it does. */
  readonly unresolved: readonly TargetReference[];
}

/**
 * Writes each reference of a projection as the referenced object's id in the target (`manager` becomes
 * `{ value: <target id> }`). `targetIdOf` looks the Muster id up in the engine's links and gives undefined
 * when the referenced object has no target object yet; such references are listed as unresolved, and
 * the attribute is left out (so an update sent now does not point at a stale manager).
 */
export function resolveReferences(projection: TargetProjection, targetIdOf: (reference: TargetReference) => string | undefined): Result<ResolvedProjection, string> {
  // Most objects (all groups, users without a manager) have nothing to resolve: no copy needed.
  if (projection.references.length === 0) return ok({ document: projection.document, unresolved: [] });
  const attributes = withoutSchemas(structuredClone(projection.document));
  const unresolved: TargetReference[] = [];
  for (const reference of projection.references) {
    const targetId = targetIdOf(reference);
    if (targetId === undefined) {
      unresolved.push(reference);
      continue;
    }
    const written = writeTargetPath(attributes, reference.target, targetId);
    if (!written.ok) return fail(`${reference.target.label}: ${written.error}`);
  }
  return ok({ document: withSchemas(registry.forType(projection.type), attributes), unresolved });
}
