import type { JsonObject } from "../../scim/json.js";
import type { Store } from "../../store/store.js";
import type { AppRuntime } from "../engine/app-runtime.js";
import type { ObjectPlan, SyncStep } from "../engine/object-sync.js";
import { diffProjection } from "../mapping/diff-projection.js";
import { hashProjection } from "../mapping/hash-projection.js";
import { projectResource } from "../mapping/project-resource.js";
import { resolveReferences } from "../mapping/resolve-references.js";

/** The request a plan would send first, as a dry run shows it (path under the app's base URL). */
export interface PlannedRequest {
  readonly method: "POST" | "PATCH" | "DELETE";
  readonly path: string;
  readonly body: JsonObject | null;
}

/** What a dry run found: the steps in words and the request that would be sent, if any. */
export interface PlanPreview {
  readonly steps: readonly SyncStep[];
  readonly request: PlannedRequest | null;
  /** The object could not be mapped: why. */
  readonly problem?: string;
}

const patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** A value in a sentence: its JSON, shortened. */
function clipped(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/**
 * Shows what applying a plan would send, without sending anything or writing anything: the document a
 * create would POST (after looking the object up by each matching attribute), the minimal PATCH of an
 * update, the disable or the delete. Reads only Muster's database (the links, for references).
 */
export async function previewPlan(runtime: AppRuntime, store: Store, plan: ObjectPlan): Promise<PlanPreview> {
  const steps: SyncStep[] = [{ step: "scope", summary: plan.reason }];
  const endpoint = plan.type === "User" ? "Users" : "Groups";
  const link = plan.link?.targetId != null && plan.link.status !== "deleted" ? plan.link : undefined;
  const targetPath = link ? `/${endpoint}/${encodeURIComponent(link.targetId!)}` : "";
  switch (plan.action) {
    case "skip":
      steps.push({ step: "action", summary: "Nothing would be sent." });
      return { steps, request: null };
    case "forget":
      steps.push({ step: "action", summary: "Muster would forget its link to the target's object and send nothing." });
      return { steps, request: null };
    case "disable":
      steps.push({ step: "action", summary: `Would disable ${link!.targetId} in the target (active set to false).` });
      return { steps, request: { method: "PATCH", path: targetPath, body: { schemas: [patchOp], Operations: [{ op: "replace", path: "active", value: false }] } } };
    case "delete":
      if (plan.link?.origin !== "created" && plan.link?.origin !== "adopted") {
        steps.push({ step: "action", summary: "Would not delete: Muster did not create or adopt this object in the target." });
        return { steps, request: null };
      }
      steps.push({ step: "action", summary: `Would delete ${link!.targetId} from the target.` });
      return { steps, request: { method: "DELETE", path: targetPath, body: null } };
    case "write":
      break;
  }
  const mappings = plan.type === "User" ? runtime.users : runtime.groups;
  const source = plan.source!;
  const projected = projectResource(mappings, { id: source.record.id, attributes: source.record.attributes, created: source.record.created, lastModified: source.record.lastModified }, { creating: !link });
  if (!projected.ok) {
    const problem = `the mappings give no valid document: ${projected.error.map((entry) => `${entry.target}: ${entry.message}`).join("; ")}`;
    steps.push({ step: "action", summary: `Would fail: ${problem}.` });
    return { steps, request: null, problem };
  }
  const targets = new Map<string, string>();
  for (const reference of projected.value.references) {
    const linked = await store.read((s) => s.outbound.getLink(runtime.app.id, reference.resourceType, reference.sourceId));
    if (linked?.targetId && linked.status !== "deleted") targets.set(`${reference.resourceType}:${reference.sourceId}`, linked.targetId);
  }
  const resolved = resolveReferences(projected.value, (reference) => targets.get(`${reference.resourceType}:${reference.sourceId}`));
  if (!resolved.ok) {
    steps.push({ step: "action", summary: `Would fail: ${resolved.error}.` });
    return { steps, request: null, problem: resolved.error };
  }
  const document = resolved.value.document;
  const unresolved = resolved.value.unresolved.map((reference) => reference.target.label);
  if (unresolved.length > 0) steps.push({ step: "action", summary: `${unresolved.join(", ")} would be sent later: the object it refers to is not in the target yet.` });
  if (!link) {
    const matching = plan.type === "User" ? runtime.settings.matching.users : runtime.settings.matching.groups;
    steps.push({ step: "match", summary: `Would look for an existing ${plan.type.toLowerCase()} in the target by ${matching.join(", then ")}; one found is adopted (and updated) instead of created.` });
    steps.push({ step: "action", summary: `Otherwise would create it with POST /${endpoint}.` });
    if (plan.type === "Group") steps.push({ step: "action", summary: "Then its provisioned members would be added with member PATCHes." });
    return { steps, request: { method: "POST", path: `/${endpoint}`, body: document } };
  }
  if (link.status === "synced" && link.writtenHash === hashProjection(document)) {
    steps.push({ step: "action", summary: "Nothing changed since the last write: no request." });
    return { steps, request: null };
  }
  const diff = diffProjection(mappings, link.written ?? {}, document);
  if (diff.operations.length === 0) {
    steps.push({ step: "action", summary: "The target already holds these values: no request." });
    return { steps, request: null };
  }
  const changes = diff.modified.map((change) => `${change.path}: ${clipped(change.oldValue)} → ${clipped(change.newValue)}`);
  steps.push({ step: "action", summary: `Would update ${diff.modified.length} attribute(s) of ${link.targetId} with one PATCH (${changes.join("; ")}).` });
  return { steps, request: { method: "PATCH", path: targetPath, body: { schemas: [patchOp], Operations: diff.operations as unknown as JsonObject[] } } };
}
