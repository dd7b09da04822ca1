import { scimError } from "../scim/errors.js";
import type { MemberView } from "../store/store.js";
import type { ProvisioningContext } from "./context.js";
import { getResource, type Relations, type ResourceView, type Target } from "./resources.js";

/** Members read per query when a response streams a group's members. */
export const memberPageSize = 5_000;

/** The rest of a group's members, page by page; pages are never empty. */
export type MemberPages = AsyncIterable<readonly MemberView[]>;

/**
 * A resource with its relations, where a Group's `members` may be only the first page: `moreMembers`,
 * when present, yields the members that follow it, in member-id order.
 */
export interface PagedResourceView extends ResourceView {
  readonly moreMembers?: MemberPages;
}

/**
 * GET by id, with a Group's members read a page at a time: the group and its first `pageSize` members
 * come from one read; when the page is full, `moreMembers` reads the rest on demand.
 *
 * Consistency: a group that fits in one page is one snapshot, as every other read. A larger group's
 * later pages are each their own short read, keyed by the last member id sent (see memberPagesAfter),
 * so a response of 100,000 members never holds a snapshot — nor, on SQLite, the one reader connection —
 * for as long as a slow client takes to receive it.
 */
export async function getResourcePaged(ctx: ProvisioningContext, target: Target, id: string, relations: Relations, pageSize = memberPageSize): Promise<PagedResourceView> {
  if (target.type !== "Group" || !relations.members) return getResource(ctx, target, id, relations);
  const { record, members } = await ctx.store.read(async (session) => {
    const found = await session.resources.get(target.type, target.tenantId, id);
    if (!found) throw scimError("notFound", `${target.type} "${id}" not found.`);
    return { record: found, members: await session.resources.pageMembers(target.tenantId, id, { count: pageSize }) };
  });
  const last = members.at(-1);
  if (members.length < pageSize || last === undefined) return { record, members };
  return { record, members, moreMembers: memberPagesAfter(ctx, target.tenantId, id, last.value, pageSize) };
}

/**
 * A group's members after member id `after`, `pageSize` per read, fetched only as the consumer asks.
 * Each page is a separate read transaction, so pages are not one snapshot: every member is listed at
 * most once and in order, a member present for the whole response is listed, and one added or
 * removed meanwhile may or may not be. This is the trade for not pinning a snapshot (and, on SQLite,
 * the single reader connection) while a client downloads; the response's ETag is the version read
 * with the first page, so a client that revalidates sees any change that happened meanwhile.
 */
export async function* memberPagesAfter(ctx: ProvisioningContext, tenantId: string, groupId: string, after: string, pageSize = memberPageSize): AsyncGenerator<readonly MemberView[]> {
  let cursor = after;
  for (;;) {
    const from = cursor;
    const page = await ctx.store.read((session) => session.resources.pageMembers(tenantId, groupId, { after: from, count: pageSize }));
    const last = page.at(-1);
    if (last === undefined) return;
    yield page;
    if (page.length < pageSize) return;
    cursor = last.value;
  }
}
