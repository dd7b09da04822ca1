import { scimError } from "../scim/errors.js";
import type { MemberChange } from "../scim/patch/apply-patch.js";
import type { StoreSession } from "../store/store.js";
import type { ResourceTypeName } from "../scim/schema/attribute.js";

/** A member as a request names it; `type` is checked against what the id really is. */
export interface MemberInput {
  readonly value: string;
  readonly type?: ResourceTypeName;
}

/**
 * Applies membership changes to a group inside the caller's transaction, in order. Every added id
 * must name a User or Group of the same tenant (ENT-54: a bad reference is a 400 naming the ids, and
 * nothing is written). Returns true when any row changed.
 */
export async function applyMemberChanges(session: StoreSession, tenantId: string, groupId: string, changes: readonly MemberChange[]): Promise<boolean> {
  let changed = false;
  for (const change of changes) {
    switch (change.kind) {
      case "add":
        changed = (await addMembers(session, tenantId, groupId, change.members)) || changed;
        break;
      case "remove":
        changed = (await session.resources.removeMembers(tenantId, groupId, change.values)) > 0 || changed;
        break;
      case "removeWhere":
        changed = (await session.resources.removeMembersWhere(tenantId, groupId, change.filter)) > 0 || changed;
        break;
      case "clear":
        changed = (await session.resources.clearMembers(tenantId, groupId)) > 0 || changed;
        break;
    }
  }
  return changed;
}

/**
 * Adds the members in one statement, then checks them: an id that names nothing, or a member whose
 * stated type is wrong, throws, and the caller's transaction takes back what was added. Only when
 * fewer rows were added than ids given (members already present, or bad ids) are the rest looked up.
 * Returns true when a row was added.
 */
async function addMembers(session: StoreSession, tenantId: string, groupId: string, members: readonly MemberInput[]): Promise<boolean> {
  const ids = [...new Set(members.map((member) => member.value))];
  if (ids.includes(groupId)) throw scimError("invalidValue", `A group cannot be a member of itself (members value "${groupId}").`);
  const added = await session.resources.addFoundMembers(tenantId, groupId, ids);
  const found = added.size === ids.length ? added : new Map([...added, ...(await session.resources.findMembers(tenantId, ids.filter((id) => !added.has(id))))]);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).map((id) => `"${id}"`).join(", ");
    const more = missing.length > 10 ? ` and ${missing.length - 10} more` : "";
    throw scimError("invalidValue", `members: no User or Group with id ${shown}${more} exists in this tenant; nothing was changed.`);
  }
  for (const member of members) {
    const actual = found.get(member.value);
    if (member.type !== undefined && actual !== member.type) {
      throw scimError("invalidValue", `members: "${member.value}" is a ${actual ?? "missing resource"}, not a ${member.type}.`);
    }
  }
  return added.size > 0;
}
