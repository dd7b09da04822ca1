import { formatFilter } from "../../scim/filter/format-filter.js";
import type { TargetError } from "./target-error.js";

/** One PATCH operation (RFC 7644 §3.5.2). */
export interface PatchOperation {
  readonly op: "add" | "replace" | "remove";
  readonly path?: string;
  readonly value?: unknown;
}

/** One membership change: a member id (the target's id of a user or group) to add or remove. */
export interface MemberChange {
  readonly op: "add" | "remove";
  readonly id: string;
}

/**
 * How removals are written: `valueFilter` is RFC 7644's `{op: remove, path: 'members[value eq "id"]'}`
 * (one operation per member); `valueList` is the older `{op: remove, path: members, value: [{value}]}`
 * that Entra ID sends without its compatibility flag and some targets (AWS) expect.
 */
export type MemberRemoveStyle = "valueFilter" | "valueList";

/** The changes in the order they are sent: removals first, then additions, each id once. */
export function memberChanges(add: readonly string[], remove: readonly string[]): MemberChange[] {
  const removals = [...new Set(remove)].map((id): MemberChange => ({ op: "remove", id }));
  const additions = [...new Set(add)].map((id): MemberChange => ({ op: "add", id }));
  return [...removals, ...additions];
}

/** The PatchOp operations for a chunk of changes: one `add` with every added member, removals in the chosen style. */
export function memberOperations(changes: readonly MemberChange[], style: MemberRemoveStyle): PatchOperation[] {
  const removed = changes.filter((change) => change.op === "remove").map((change) => change.id);
  const added = changes.filter((change) => change.op === "add").map((change) => change.id);
  const operations: PatchOperation[] = [];
  if (removed.length > 0) {
    if (style === "valueList") operations.push({ op: "remove", path: "members", value: removed.map((value) => ({ value })) });
    else for (const id of removed) operations.push({ op: "remove", path: formatFilter({ kind: "valuePath", path: { attribute: "members" }, filter: { kind: "compare", path: { attribute: "value" }, op: "eq", value: id } }) });
  }
  if (added.length > 0) operations.push({ op: "add", path: "members", value: added.map((value) => ({ value })) });
  return operations;
}

/** Text of a 400 that says the request asked too much at once. */
const limitText = /too many|too large|limit|maximum|exceed/i;

/** True when the target refused a PATCH for its size: 413, 400 `tooMany`, or a 400 whose text speaks of a limit. */
export function isPatchTooLarge(error: TargetError): boolean {
  if (error.kind !== "rejected") return false;
  if (error.status === 413 || error.scimType === "tooMany") return true;
  return error.status === 400 && error.detail !== undefined && limitText.test(error.detail);
}
