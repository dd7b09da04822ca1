import type { JsonObject } from "../../scim/json.js";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import { newId } from "../../store/ids.js";
import type { AppLinkRecord, AppLogRecord } from "../../store/outbound.js";
import type { RequestRecord } from "../client/request-record.js";
import { TargetError } from "../client/target-error.js";
import { parkUntil } from "./retry-schedule.js";
import { CycleWork } from "./cycle-work.js";
import { displayOf } from "./object-sync.js";

/** What a membership sync did. */
export interface MembershipResult {
  readonly added: number;
  readonly removed: number;
  readonly failed: boolean;
  readonly appFailure?: TargetError;
  readonly throttledMs?: number;
  /** The member changes per PATCH the target accepts, when the client had to lower it. */
  readonly loweredChangesPerPatch?: number;
}

const none: MembershipResult = { added: 0, removed: 0, failed: false };

/** A member belongs in a target group when it is a member in Muster and is provisioned (linked, not disabled). */
function provisioned(link: AppLinkRecord | undefined): link is AppLinkRecord & { targetId: string } {
  return link !== undefined && link.targetId !== null && (link.status === "synced" || link.status === "failed");
}

/** Source members read per page in a full sync of a group. */
const pageSize = 500;

/**
 * Keeps each target group's members equal to the provisioned direct members of the Muster group:
 * compares what Muster has now (group_members) with what it wrote to the target (app_memberships) and
 * sends the difference as member PATCHes (chunked by the client), then records what was written.
 */
export class MembershipSync extends CycleWork {

  /** Brings these members of one group to what Muster has now. */
  async syncPairs(groupId: string, memberIds: readonly string[]): Promise<MembershipResult> {
    if (memberIds.length === 0) return none;
    const group = await this.store.read((s) => s.outbound.getLink(this.appId, "Group", groupId));
    if (!provisioned(group) || group.status !== "synced") return none;
    const ids = [...new Set(memberIds)];
    const [groupsOf, users, groups, written] = await Promise.all([
      this.reader.groupsOf(ids),
      this.store.read((s) => s.outbound.getLinks(this.appId, "User", ids)),
      this.store.read((s) => s.outbound.getLinks(this.appId, "Group", ids)),
      this.store.read((s) => s.outbound.hasMemberships(this.appId, groupId, ids)),
    ]);
    const add: { id: string; target: string }[] = [];
    const remove: { id: string; target: string | null }[] = [];
    for (const id of ids) {
      const link = users.get(id) ?? groups.get(id);
      const wanted = (groupsOf.get(id)?.has(groupId) ?? false) && provisioned(link);
      const has = written.has(id);
      if (wanted && !has) add.push({ id, target: link!.targetId! });
      else if (!wanted && has) remove.push({ id, target: link?.targetId ?? null });
    }
    // A member whose target object is gone (deleted there) has left the group with it: only forget it.
    const sent = remove.filter((member) => member.target !== null);
    if (add.length === 0 && remove.length === 0) return none;
    const requests: RequestRecord[] = [];
    let lowered: number | undefined;
    try {
      if (add.length > 0 || sent.length > 0) {
        const result = await this.runtime.client.patchMembers(group.targetId, add.map((member) => member.target), sent.map((member) => member.target!));
        requests.push(...result.records);
        if (result.value.lowered) lowered = result.value.changesPerPatch;
      }
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      if (error.record) requests.push(error.record);
      if (error.kind === "auth" || error.kind === "refused") return { ...none, failed: true, appFailure: error };
      if (error.kind === "throttled") return { ...none, failed: true, throttledMs: error.retryAfterMs ?? 30_000 };
      await this.log(group, add.length, sent.length, requests, error);
      // The group is tried again when its retry is due (the runner syncs a due group's members whole).
      const now = this.now();
      const attempts = group.attempts + 1;
      await this.store.write((s) => s.outbound.putLink({ ...group, lastError: `Members: ${error.message}`.slice(0, 2000), attempts, nextRetryAt: parkUntil(now, attempts, error.kind).toISOString(), updated: now.toISOString() }));
      return { ...none, failed: true };
    }
    await this.store.write(async (s) => {
      await s.outbound.addMemberships(this.runtime.app.tenantId, this.appId, groupId, add.map((member) => member.id));
      await s.outbound.removeMemberships(this.appId, groupId, remove.map((member) => member.id));
    });
    if (add.length > 0 || sent.length > 0) await this.log(group, add.length, sent.length, requests);
    return { added: add.length, removed: sent.length, failed: false, ...(lowered === undefined ? {} : { loweredChangesPerPatch: lowered }) };
  }

  /**
   * Every member of one group: Muster's members page by page, then the members written before (those
   * that left). With `readBack`, the target's member list is read and what drifted is repaired: linked
   * members missing in the target are added, and linked objects the target has but should not are removed
   * (members Muster knows nothing about are left alone).
   */
  async syncGroup(groupId: string, options: { readonly readBack: boolean }): Promise<MembershipResult> {
    let total = none;
    const merge = (result: MembershipResult): boolean => {
      total = { ...total, added: total.added + result.added, removed: total.removed + result.removed, failed: total.failed || result.failed, ...(result.appFailure ? { appFailure: result.appFailure } : {}), ...(result.throttledMs ? { throttledMs: result.throttledMs } : {}), ...(result.loweredChangesPerPatch ? { loweredChangesPerPatch: result.loweredChangesPerPatch } : {}) };
      return result.appFailure === undefined && result.throttledMs === undefined;
    };
    if (options.readBack && !(await this.repairDrift(groupId, merge))) return total;
    for (let after: string | undefined; ; ) {
      const page = await this.reader.members(groupId, after, pageSize);
      if (page.length === 0) break;
      if (!merge(await this.syncPairs(groupId, page.map((member) => member.value)))) return total;
      after = page.at(-1)!.value;
    }
    for (let after: string | undefined; ; ) {
      const page = await this.store.read((s) => s.outbound.pageMemberships(this.appId, groupId, after, pageSize));
      if (page.length === 0) break;
      if (!merge(await this.syncPairs(groupId, page))) return total;
      after = page.at(-1);
    }
    return total;
  }

  /** A member's memberships in every group it is in, in Muster or in the target (after it was linked or unlinked). */
  async syncMember(memberId: string): Promise<MembershipResult> {
    const [inSource, written] = await Promise.all([this.reader.groupsOf([memberId]), this.store.read((s) => s.outbound.groupsOfMember(this.appId, memberId))]);
    const groups = new Set([...(inSource.get(memberId) ?? []), ...written]);
    let total = none;
    for (const groupId of groups) {
      const result = await this.syncPairs(groupId, [memberId]);
      total = { ...total, added: total.added + result.added, removed: total.removed + result.removed, failed: total.failed || result.failed, ...(result.appFailure ? { appFailure: result.appFailure } : {}), ...(result.throttledMs ? { throttledMs: result.throttledMs } : {}) };
      if (result.appFailure || result.throttledMs) break;
    }
    return total;
  }

  /** Reads the target's members of one group and makes app_memberships say what the target really holds, so syncGroup then sends the difference. */
  private async repairDrift(groupId: string, merge: (result: MembershipResult) => boolean): Promise<boolean> {
    const group = await this.store.read((s) => s.outbound.getLink(this.appId, "Group", groupId));
    if (!provisioned(group) || group.status !== "synced") return true;
    let readout;
    try {
      readout = await this.runtime.client.readMembers(group.targetId);
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      if (error.kind === "auth" || error.kind === "refused") return merge({ ...none, failed: true, appFailure: error });
      if (error.kind === "throttled") return merge({ ...none, failed: true, throttledMs: error.retryAfterMs ?? 30_000 });
      return true;
    }
    const written = new Set<string>();
    for (let after: string | undefined; ; ) {
      const page = await this.store.read((s) => s.outbound.pageMemberships(this.appId, groupId, after, pageSize));
      if (page.length === 0) break;
      for (const id of page) written.add(id);
      after = page.at(-1);
    }
    if (!readout.value.membersReturned && written.size > 0) return true; // The target does not return members: nothing to compare.
    const inTarget = new Set(readout.value.members);
    const linksOf = async (type: ResourceTypeName, ids: string[]) => this.store.read((s) => s.outbound.getLinks(this.appId, type, ids));
    const writtenIds = [...written];
    const [users, groups] = await Promise.all([linksOf("User", writtenIds), linksOf("Group", writtenIds)]);
    // Written, but missing in the target: forget it, so syncGroup adds it again.
    const missing = writtenIds.filter((id) => {
      const target = (users.get(id) ?? groups.get(id))?.targetId;
      return target != null && !inTarget.has(target);
    });
    // In the target and linked to a Muster object, but never written (or forgotten): record it, so syncGroup removes it if it does not belong.
    const knownTargets = new Map<string, string>();
    for (const targetId of inTarget) {
      const owner = (await this.store.read((s) => s.outbound.linkOfTarget(this.appId, "User", targetId))) ?? (await this.store.read((s) => s.outbound.linkOfTarget(this.appId, "Group", targetId)));
      if (owner && !written.has(owner.sourceId)) knownTargets.set(owner.sourceId, targetId);
    }
    if (missing.length > 0 || knownTargets.size > 0) {
      await this.store.write(async (s) => {
        await s.outbound.removeMemberships(this.appId, groupId, missing);
        await s.outbound.addMemberships(this.runtime.app.tenantId, this.appId, groupId, [...knownTargets.keys()]);
      });
    }
    return true;
  }

  private async log(group: AppLinkRecord & { targetId: string }, added: number, removed: number, requests: readonly RequestRecord[], error?: TargetError): Promise<void> {
    const entry: AppLogRecord = {
      tenantId: this.runtime.app.tenantId,
      appId: this.appId,
      id: newId(),
      at: this.now().toISOString(),
      cycle: this.cycle,
      resourceType: "Group",
      sourceId: group.sourceId,
      targetId: group.targetId,
      action: "members",
      status: error ? "failure" : "success",
      details: {
        ...displayOf("Group", group.written),
        steps: [{ step: "action", summary: `${added} member(s) to add and ${removed} to remove` }],
        added,
        removed,
        requests: requests.map((record) => ({ method: record.method, path: record.path, status: record.status ?? null, durationMs: Math.round(record.durationMs), attempts: record.attempts, ...(record.error ? { error: record.error } : {}) })),
      } as JsonObject,
      error: error ? error.message.slice(0, 2000) : null,
      fix: error ? error.fix : null,
    };
    await this.store.write((s) => s.outbound.appendLog([entry]));
  }
}
