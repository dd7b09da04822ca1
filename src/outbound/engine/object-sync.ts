import { isJsonObject, type JsonObject, type JsonValue } from "../../scim/json.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { newId } from "../../store/ids.js";
import type { AppLinkRecord, AppLogAction, AppLogRecord, AppLogStatus } from "../../store/outbound.js";
import type { RequestRecord } from "../client/request-record.js";
import type { ResourceEndpoint } from "../client/scim-target-client.js";
import type { ScimResource } from "../client/read-scim-body.js";
import { TargetError } from "../client/target-error.js";
import type { CompiledMappings } from "../mapping/compile-mappings.js";
import { diffProjection, type ModifiedAttribute } from "../mapping/diff-projection.js";
import { hashProjection } from "../mapping/hash-projection.js";
import { projectResource } from "../mapping/project-resource.js";
import { resolveReferences } from "../mapping/resolve-references.js";
import { checkMatchingAttribute } from "../settings/check-matching-attribute.js";
import { groupInScope } from "../scope/group-in-scope.js";
import { userInScope } from "../scope/user-in-scope.js";
import { parkUntil } from "./retry-schedule.js";
import type { SourceObject } from "./source-reader.js";
import { CycleWork } from "./cycle-work.js";

/** What the engine decided to do with one source object, before any request. */
export interface ObjectPlan {
  readonly type: ResourceTypeName;
  readonly sourceId: string;
  readonly source: SourceObject | undefined;
  readonly link: AppLinkRecord | undefined;
  /** write: create, adopt or update; disable/delete: deprovision; forget: drop the link, send nothing; skip: nothing. */
  readonly action: "write" | "disable" | "delete" | "forget" | "skip";
  /** Why, in words (the scope decision, the deprovisioning setting). */
  readonly reason: string;
}

/** Counters of statistics an object action moves. */
export type Counter = "created" | "updated" | "adopted" | "disabled" | "deleted" | "failed" | "skipped";

/** One step of an object action, for logs and on-demand provisioning. */
export interface SyncStep {
  readonly step: "scope" | "match" | "action" | "request";
  readonly summary: string;
}

/** What applying a plan did. */
export interface ObjectResult {
  readonly counter: Counter;
  readonly log: AppLogRecord | undefined;
  readonly steps: readonly SyncStep[];
  /** The target's object now exists and is linked anew (created or adopted): its memberships need writing. */
  readonly linked: boolean;
  /** The object no longer belongs in the target's groups (disabled or deleted there). */
  readonly unlinked: boolean;
  /** A failure of the whole app (token refused, target unreachable): stop, quarantine, change nothing. */
  readonly appFailure?: TargetError;
  /** The target throttled past the client's retries: wait this long, then do the object again. */
  readonly throttledMs?: number;
}

const endpointOf = (type: ResourceTypeName): ResourceEndpoint => (type === "User" ? "Users" : "Groups");

/** Errors that concern the app, not the object: every request would fail the same way. */
function isAppFailure(error: TargetError): boolean {
  return error.kind === "auth" || error.kind === "refused" || (error.kind === "transient" && !error.maybeSent && error.code !== "timeout");
}

/** The value a matching attribute has in a document about to be sent (a multi-valued attribute gives its primary or first value). */
function matchValue(document: JsonObject, path: string): string | undefined {
  const extension = path.startsWith("urn:") ? path.slice(0, path.lastIndexOf(":")) : undefined;
  const rest = extension === undefined ? path : path.slice(extension.length + 1);
  const container: JsonValue | undefined = extension === undefined ? document : document[extension];
  const [attribute, sub] = rest.split(".");
  if (!isJsonObject(container ?? null)) return undefined;
  let value: JsonValue | undefined = Object.entries(container as JsonObject).find(([key]) => key.toLowerCase() === attribute!.toLowerCase())?.[1];
  if (Array.isArray(value)) value = value.find((element) => isJsonObject(element) && element["primary"] === true) ?? value[0];
  if (sub !== undefined) {
    if (!isJsonObject(value ?? null)) return undefined;
    value = Object.entries(value as JsonObject).find(([key]) => key.toLowerCase() === sub.toLowerCase())?.[1];
  }
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The name a log entry shows for an object: its userName or displayName, from the source or, once deleted there, from what was written. */
export function displayOf(type: ResourceTypeName, attributes: JsonObject | null | undefined): { display?: string } {
  const value = attributes?.[type === "User" ? "userName" : "displayName"];
  return typeof value === "string" ? { display: value.slice(0, 256) } : {};
}

/** The part of a target's object that the app writes: its top-level attributes that the new document has (adoption compares only those). */
function comparablePart(found: ScimResource, document: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(document)) {
    if (key === "schemas") continue;
    const entry = Object.entries(found).find(([name]) => name.toLowerCase() === key.toLowerCase());
    if (entry) out[key] = entry[1] as JsonValue;
  }
  return out;
}

/**
 * Decides and carries out what one source User or Group needs in one app's target: create (after
 * matching), adopt, update with a minimal PATCH, disable, delete, or nothing. Every outcome is written to
 * the link table and, when something was done or failed, to the provisioning log, in one transaction.
 */
export class ObjectSync extends CycleWork {

  private mappings(type: ResourceTypeName): CompiledMappings {
    return type === "User" ? this.runtime.users : this.runtime.groups;
  }

  /** Decides, from the source and the link, what the object needs; reads only Muster's database. */
  async plan(type: ResourceTypeName, sourceId: string): Promise<ObjectPlan> {
    const [source, link] = await Promise.all([this.reader.read(type, sourceId), this.store.read((s) => s.outbound.getLink(this.appId, type, sourceId))]);
    const settings = this.runtime.settings;
    const base = { type, sourceId, source, link };
    const provisioned = link?.targetId != null && link.status !== "deleted";
    if (!source) {
      if (!provisioned) return { ...base, action: link ? "forget" : "skip", reason: "deleted in Muster; nothing was provisioned" };
      const setting = settings.onDelete;
      if (setting === "none") return { ...base, action: "forget", reason: "deleted in Muster; the app is set to leave deleted objects in the target" };
      if (type === "Group" || setting === "delete") return { ...base, action: "delete", reason: "deleted in Muster" };
      return link.status === "disabled" ? { ...base, action: "skip", reason: "deleted in Muster; already disabled in the target" } : { ...base, action: "disable", reason: "deleted in Muster" };
    }
    const decision = type === "User" ? userInScope(source.record, source.groupIds, this.runtime.scope) : groupInScope(source.record, this.runtime.scope);
    if (!decision.inScope) {
      if (!provisioned) return { ...base, action: link ? "forget" : "skip", reason: `out of scope: ${decision.reason}` };
      const setting = settings.onLeaveScope;
      if (setting === "none") return { ...base, action: "forget", reason: `left the scope (${decision.reason}); the app is set to leave such objects in the target` };
      if (type === "Group" || setting === "delete") return { ...base, action: "delete", reason: `left the scope: ${decision.reason}` };
      return link.status === "disabled" ? { ...base, action: "skip", reason: `out of scope (${decision.reason}); already disabled in the target` } : { ...base, action: "disable", reason: `left the scope: ${decision.reason}` };
    }
    if (type === "User" && source.record.attributes["active"] === false && settings.onDisable !== "disable") {
      if (settings.onDisable === "none") return { ...base, action: "skip", reason: "disabled in Muster; the app is set to leave disabled users as they are" };
      if (!provisioned) return { ...base, action: "skip", reason: "disabled in Muster; not provisioned" };
      return { ...base, action: "delete", reason: "disabled in Muster; the app is set to delete disabled users" };
    }
    return { ...base, action: "write", reason: "in scope" };
  }

  /**
   * Carries out a plan. Throws only for failures of Muster itself (database); target failures are results.
   * Plans of different objects may be applied at the same time (each call works on a copy of its own).
   */
  apply(plan: ObjectPlan, options: { readonly logSkips: boolean }): Promise<ObjectResult> {
    return new ObjectSync(this.context).applyOnce(plan, options);
  }

  private async applyOnce(plan: ObjectPlan, options: { readonly logSkips: boolean }): Promise<ObjectResult> {
    const steps: SyncStep[] = [{ step: "scope", summary: plan.reason }];
    const requests: RequestRecord[] = [];
    try {
      switch (plan.action) {
        case "skip":
          return await this.finish(plan, steps, requests, { counter: "skipped", logAction: "skip", status: "skipped", log: options.logSkips });
        case "forget":
          await this.store.write(async (s) => {
            await s.outbound.deleteLink(this.appId, plan.type, plan.sourceId);
            await s.outbound.forgetMember(this.appId, plan.sourceId);
            if (plan.type === "Group") await s.outbound.clearMemberships(this.appId, plan.sourceId);
          });
          steps.push({ step: "action", summary: "The link is forgotten; nothing is sent to the target." });
          return await this.finish(plan, steps, requests, { counter: "skipped", logAction: "skip", status: "skipped", log: options.logSkips, linkWritten: true, unlinked: true });
        case "disable":
          return await this.disable(plan, steps, requests);
        case "delete":
          return await this.delete(plan, steps, requests);
        case "write":
          return await this.write(plan, steps, requests);
      }
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      if (error.record) requests.push(error.record);
      steps.push({ step: "request", summary: error.message });
      if (isAppFailure(error)) return { counter: "failed", log: undefined, steps, linked: false, unlinked: false, appFailure: error };
      if (error.kind === "throttled") return { counter: "failed", log: undefined, steps, linked: false, unlinked: false, throttledMs: error.retryAfterMs ?? 30_000 };
      return this.park(plan, steps, requests, error);
    }
  }

  private async write(plan: ObjectPlan, steps: SyncStep[], requests: RequestRecord[]): Promise<ObjectResult> {
    const mappings = this.mappings(plan.type);
    const link = plan.link?.targetId != null && plan.link.status !== "deleted" ? plan.link : undefined;
    const update = await this.project(plan, mappings, false);
    if (!update.ok) return this.mappingFailure(plan, steps, requests, update.error);
    const hash = hashProjection(update.document);
    if (link) {
      if (link.status === "synced" && link.writtenHash === hash) {
        steps.push({ step: "action", summary: "Nothing changed since the last write: no request." });
        return this.finish(plan, steps, requests, { counter: "skipped", logAction: "skip", status: "skipped", log: false });
      }
      const diff = diffProjection(mappings, link.written ?? {}, update.document);
      if (diff.operations.length > 0) {
        try {
          const result = await this.runtime.client.patch(endpointOf(plan.type), link.targetId!, diff.operations);
          requests.push(...result.records);
        } catch (error) {
          if (!(error instanceof TargetError) || error.kind !== "notFound") throw error;
          if (error.record) requests.push(error.record);
          steps.push({ step: "request", summary: `The target's object ${link.targetId} is gone (404): matching again, then creating it.` });
          return this.createOrAdopt(plan, steps, requests, hash, update.unresolved);
        }
        steps.push({ step: "action", summary: `Updated ${diff.modified.length} attribute(s) with one PATCH.` });
      } else {
        steps.push({ step: "action", summary: "The target already holds these values: no request." });
      }
      await this.saveLink(plan, { ...link, status: "synced", written: diff.document, writtenHash: update.unresolved ? null : hash, lastError: null, attempts: 0, nextRetryAt: null });
      const changed = diff.operations.length > 0;
      return this.finish(plan, steps, requests, { counter: changed ? "updated" : "skipped", logAction: "update", status: changed ? "success" : "skipped", log: changed, modified: diff.modified, targetId: link.targetId });
    }
    return this.createOrAdopt(plan, steps, requests, hash, update.unresolved);
  }

  /** Matches on the app's matching attributes in order; adopts a match, creates otherwise (and adopts on a 409). */
  private async createOrAdopt(plan: ObjectPlan, steps: SyncStep[], requests: RequestRecord[], updateHash: string, unresolved: boolean): Promise<ObjectResult> {
    const mappings = this.mappings(plan.type);
    const creation = await this.project(plan, mappings, true);
    if (!creation.ok) return this.mappingFailure(plan, steps, requests, creation.error);
    const adopted = await this.match(plan, creation.document, steps, requests);
    if (adopted) return adopted;
    let created: ScimResource;
    try {
      const result = await this.runtime.client.create(endpointOf(plan.type), creation.document, { retryAfterSend: true });
      requests.push(...result.records);
      created = result.value;
    } catch (error) {
      if (!(error instanceof TargetError) || error.kind !== "conflict") throw error;
      if (error.record) requests.push(error.record);
      steps.push({ step: "request", summary: `The target answered 409 ${error.scimType ?? ""}: looking the object up to adopt it.`.replace("  ", " ") });
      const late = await this.match(plan, creation.document, steps, requests);
      if (late) return late;
      throw error;
    }
    steps.push({ step: "action", summary: `Created as ${created.id}.` });
    await this.saveLink(plan, {
      ...this.blankLink(plan),
      targetId: created.id,
      origin: "created",
      status: "synced",
      written: creation.document,
      writtenHash: unresolved ? null : updateHash,
    });
    return this.finish(plan, steps, requests, { counter: "created", logAction: "create", status: "success", log: true, targetId: created.id, linked: true, modified: this.asModified(creation.document) });
  }

  /** Looks the object up on each matching attribute in order; adopts the first single match not linked to another object. */
  private async match(plan: ObjectPlan, document: JsonObject, steps: SyncStep[], requests: RequestRecord[]): Promise<ObjectResult | undefined> {
    const attributes = plan.type === "User" ? this.runtime.settings.matching.users : this.runtime.settings.matching.groups;
    let ambiguous: string | undefined;
    for (const text of attributes) {
      const attribute = checkMatchingAttribute(plan.type, text);
      if (!attribute.ok) continue;
      const value = matchValue(document, attribute.value.path);
      if (value === undefined) continue;
      const result = await this.runtime.client.findResources(endpointOf(plan.type), attribute.value.path, value);
      requests.push(...result.records);
      const found = result.value.resources;
      if (found.length === 0) {
        steps.push({ step: "match", summary: `No ${plan.type.toLowerCase()} in the target has ${attribute.value.path} "${value}".` });
        continue;
      }
      if (found.length > 1 || result.value.totalResults > 1) {
        // Not this attribute: the next one in precedence may find exactly one.
        ambiguous = `${result.value.totalResults} objects in the target have ${attribute.value.path} "${value}"`;
        steps.push({ step: "match", summary: `${ambiguous}: trying the next matching attribute.` });
        continue;
      }
      const candidate = found[0]!;
      const owner = await this.store.read((s) => s.outbound.linkOfTarget(this.appId, plan.type, candidate.id));
      if (owner && owner.sourceId !== plan.sourceId && owner.status !== "deleted") {
        throw new TargetError({ kind: "conflict", method: "GET", path: endpointOf(plan.type), summary: `the target's object ${candidate.id} with ${attribute.value.path} "${value}" is already linked to Muster's ${owner.sourceId}`, fix: "Two Muster objects map to the same value of the matching attribute; make them differ.", maybeSent: true });
      }
      steps.push({ step: "match", summary: `Found ${candidate.id} by ${attribute.value.path} "${value}": adopting it.` });
      const mappings = this.mappings(plan.type);
      const present = comparablePart(candidate, document);
      const diff = diffProjection(mappings, present, document);
      if (diff.operations.length > 0) {
        const patched = await this.runtime.client.patch(endpointOf(plan.type), candidate.id, diff.operations);
        requests.push(...patched.records);
      }
      const update = await this.project(plan, mappings, false);
      await this.saveLink(plan, {
        ...this.blankLink(plan),
        targetId: candidate.id,
        origin: "adopted",
        status: "synced",
        written: diff.document,
        writtenHash: update.ok && !update.unresolved ? hashProjection(update.document) : null,
      });
      steps.push({ step: "action", summary: diff.operations.length > 0 ? `Adopted, and updated ${diff.modified.length} attribute(s).` : "Adopted; it already holds these values." });
      return this.finish(plan, steps, requests, { counter: "adopted", logAction: "adopt", status: "success", log: true, targetId: candidate.id, linked: true, modified: diff.modified });
    }
    if (ambiguous) {
      // Creating would add one more duplicate: park the object until the target's data is fixed.
      throw new TargetError({ kind: "conflict", method: "GET", path: `/${endpointOf(plan.type)}`, summary: `${ambiguous}, and no matching attribute finds exactly one object, so none is adopted and none is created`, fix: "Remove the duplicates in the target, or add a matching attribute that is unique.", maybeSent: true });
    }
    return undefined;
  }

  private async disable(plan: ObjectPlan, steps: SyncStep[], requests: RequestRecord[]): Promise<ObjectResult> {
    const link = plan.link!;
    const result = await this.runtime.client.patch("Users", link.targetId!, [{ op: "replace", path: "active", value: false }]);
    requests.push(...result.records);
    steps.push({ step: "action", summary: "Disabled (active set to false)." });
    const written = { ...(link.written ?? {}), active: false };
    await this.saveLink(plan, { ...link, status: "disabled", written, writtenHash: null, lastError: null, attempts: 0, nextRetryAt: null }, { unlinked: true });
    return this.finish(plan, steps, requests, { counter: "disabled", logAction: "disable", status: "success", log: true, targetId: link.targetId, unlinked: true, modified: [{ path: "active", oldValue: (link.written?.["active"] as JsonValue) ?? null, newValue: false }] });
  }

  private async delete(plan: ObjectPlan, steps: SyncStep[], requests: RequestRecord[]): Promise<ObjectResult> {
    const link = plan.link!;
    if (link.origin !== "created" && link.origin !== "adopted") {
      steps.push({ step: "action", summary: "Not deleted: Muster did not create or adopt this object in the target." });
      return this.finish(plan, steps, requests, { counter: "skipped", logAction: "skip", status: "skipped", log: true });
    }
    const result = await this.runtime.client.delete(endpointOf(plan.type), link.targetId!);
    requests.push(...result.records);
    steps.push({ step: "action", summary: result.value === "alreadyGone" ? "Already gone from the target (404 counts as deleted)." : "Deleted from the target." });
    await this.store.write(async (s) => {
      await s.outbound.deleteLink(this.appId, plan.type, plan.sourceId);
      await s.outbound.forgetMember(this.appId, plan.sourceId);
      if (plan.type === "Group") await s.outbound.clearMemberships(this.appId, plan.sourceId);
    });
    return this.finish(plan, steps, requests, { counter: "deleted", logAction: "delete", status: "success", log: true, targetId: link.targetId, unlinked: true });
  }

  /** The object's document for the target, with references (manager) resolved through the links. */
  private async project(plan: ObjectPlan, mappings: CompiledMappings, creating: boolean): Promise<{ ok: true; document: JsonObject; unresolved: boolean } | { ok: false; error: string }> {
    const source = plan.source!;
    const projected = projectResource(mappings, { id: source.record.id, attributes: source.record.attributes, created: source.record.created, lastModified: source.record.lastModified }, { creating });
    if (!projected.ok) return { ok: false, error: projected.error.map((problem) => `${problem.target}: ${problem.message}`).join("; ") };
    const targets = new Map<string, string>();
    for (const reference of projected.value.references) {
      const linked = await this.store.read((s) => s.outbound.getLink(this.appId, reference.resourceType, reference.sourceId));
      if (linked?.targetId && linked.status !== "deleted") targets.set(`${reference.resourceType}:${reference.sourceId}`, linked.targetId);
    }
    const resolved = resolveReferences(projected.value, (reference) => targets.get(`${reference.resourceType}:${reference.sourceId}`));
    if (!resolved.ok) return { ok: false, error: resolved.error };
    return { ok: true, document: resolved.value.document, unresolved: resolved.value.unresolved.length > 0 };
  }

  private asModified(document: JsonObject): ModifiedAttribute[] {
    return Object.entries(document)
      .filter(([key]) => key !== "schemas")
      .map(([path, value]) => ({ path, oldValue: null, newValue: value }));
  }

  private blankLink(plan: ObjectPlan): AppLinkRecord {
    return {
      tenantId: this.runtime.app.tenantId,
      appId: this.appId,
      resourceType: plan.type,
      sourceId: plan.sourceId,
      targetId: null,
      origin: null,
      status: "pending",
      written: null,
      writtenHash: null,
      lastError: null,
      attempts: 0,
      nextRetryAt: null,
      updated: this.now().toISOString(),
    };
  }

  private pendingLink: AppLinkRecord | undefined;
  private pendingUnlink = false;

  /** Remembers the link to write with the log entry (one transaction in finish). */
  private async saveLink(_plan: ObjectPlan, link: AppLinkRecord, options: { unlinked?: boolean } = {}): Promise<void> {
    this.pendingLink = { ...link, updated: this.now().toISOString() };
    this.pendingUnlink = options.unlinked ?? false;
  }

  private async mappingFailure(plan: ObjectPlan, steps: SyncStep[], requests: RequestRecord[], message: string): Promise<ObjectResult> {
    const error = new TargetError({ kind: "rejected", method: "-", path: "-", summary: `the mappings give no valid document: ${message}`, fix: "Correct the attribute mappings or the object's values in Muster.", maybeSent: false });
    steps.push({ step: "action", summary: error.summary });
    return this.park(plan, steps, requests, error, "Muster could not map the object");
  }

  /** Parks an object after a failure of its own: the link records the error and when it is tried again. */
  private async park(plan: ObjectPlan, steps: SyncStep[], requests: RequestRecord[], error: TargetError, prefix?: string): Promise<ObjectResult> {
    const link = plan.link ?? this.blankLink(plan);
    const attempts = link.attempts + 1;
    const now = this.now();
    const text = prefix ? `${prefix}: ${error.summary}` : error.message;
    this.pendingLink = { ...link, status: "failed", lastError: text.slice(0, 2000), attempts, nextRetryAt: parkUntil(now, attempts, error.kind).toISOString(), updated: now.toISOString() };
    this.pendingUnlink = false;
    return this.finish(plan, steps, requests, { counter: "failed", logAction: plan.action === "write" ? (plan.link?.targetId ? "update" : "create") : plan.action === "disable" ? "disable" : plan.action === "delete" ? "delete" : "skip", status: "failure", log: true, error: text, fix: error.fix, targetId: link.targetId });
  }

  /** Writes the pending link and the log entry in one transaction and builds the result. */
  private async finish(
    plan: ObjectPlan,
    steps: SyncStep[],
    requests: RequestRecord[],
    outcome: { counter: Counter; logAction: AppLogAction; status: AppLogStatus; log: boolean; linkWritten?: boolean; linked?: boolean; unlinked?: boolean; modified?: readonly ModifiedAttribute[]; error?: string; fix?: string; targetId?: string | null },
  ): Promise<ObjectResult> {
    const link = this.pendingLink;
    this.pendingLink = undefined;
    const unlinked = outcome.unlinked ?? this.pendingUnlink;
    this.pendingUnlink = false;
    const log: AppLogRecord | undefined = outcome.log
      ? {
          tenantId: this.runtime.app.tenantId,
          appId: this.appId,
          id: newId(),
          at: this.now().toISOString(),
          cycle: this.cycle,
          resourceType: plan.type,
          sourceId: plan.sourceId,
          targetId: outcome.targetId ?? link?.targetId ?? plan.link?.targetId ?? null,
          action: outcome.logAction,
          status: outcome.status,
          details: {
            ...displayOf(plan.type, plan.source?.record.attributes ?? link?.written ?? plan.link?.written),
            steps: steps.map((step) => ({ step: step.step, summary: step.summary })),
            ...(outcome.modified ? { modified: outcome.modified.map((m) => ({ path: m.path, old: m.oldValue, new: m.newValue })) } : {}),
            requests: requests.map((record) => ({ method: record.method, path: record.path, status: record.status ?? null, durationMs: Math.round(record.durationMs), attempts: record.attempts, ...(record.error ? { error: record.error } : {}) })),
          } as JsonObject,
          error: outcome.error ?? null,
          fix: outcome.fix ?? null,
        }
      : undefined;
    if (link || log) {
      await this.store.write(async (s) => {
        if (link) await s.outbound.putLink(link);
        if (log) await s.outbound.appendLog([log]);
      });
    }
    return { counter: outcome.counter, log, steps, linked: outcome.linked ?? false, unlinked };
  }
}
