import type { GroupRow, MemberRow, UserRow } from "../../shared/admin-api.js";
import type { ProvisioningContext } from "../provisioning/context.js";
import type { ResourceView } from "../provisioning/resources.js";
import { isJsonObject, type JsonValue } from "../scim/json.js";
import type { Result } from "../scim/result.js";
import type { ResourceTypeName } from "../scim/schema/attribute.js";
import type { ListQuery, ResourceRecord, StoreSession, TenantRecord } from "../store/store.js";
import { adminError, type AdminError } from "./admin-error.js";
import type { DirectoryListRequest } from "./directory-query.js";
import { nextCursorOf, parsePageStart, type PageStart, type RawQuery } from "./paging.js";

/** One page of a console list (shared/admin-api.ts Page). */
export interface DirectoryPage<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly nextCursor: string | null;
}

/** A group and how many direct members it has. */
export interface GroupDetailView {
  readonly view: ResourceView;
  readonly memberCount: number;
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** The Users table's row: name from name.formatted, else given + family name, else displayName; the primary email, else the first. */
export function userRowOf(record: ResourceRecord): UserRow {
  const { attributes } = record;
  const name = isJsonObject(attributes["name"]) ? attributes["name"] : {};
  const parts = [text(name["givenName"]), text(name["familyName"])].filter((part) => part !== undefined);
  const emails = (Array.isArray(attributes["emails"]) ? attributes["emails"] : []).filter(isJsonObject);
  const email = emails.find((element) => element["primary"] === true) ?? emails[0];
  return {
    id: record.id,
    userName: String(attributes["userName"] ?? ""),
    name: text(name["formatted"]) ?? (parts.length > 0 ? parts.join(" ") : undefined) ?? text(attributes["displayName"]) ?? null,
    email: text(email?.["value"]) ?? null,
    // RFC 7643 leaves an unassigned `active` to the service provider: Muster reads it as active.
    active: attributes["active"] !== false,
    lastModified: record.lastModified,
  };
}

/** The Groups table's row. */
export function groupRowOf(record: ResourceRecord, memberCount: number): GroupRow {
  return {
    id: record.id,
    displayName: String(record.attributes["displayName"] ?? ""),
    externalId: text(record.attributes["externalId"]) ?? null,
    memberCount,
    lastModified: record.lastModified,
  };
}

async function listPage(ctx: ProvisioningContext, session: StoreSession, type: ResourceTypeName, tenant: TenantRecord, request: DirectoryListRequest) {
  const { page } = request;
  const query: ListQuery = {
    ...(request.filter ? { filter: request.filter } : {}),
    ...(request.search.length > 0 ? { search: request.search } : {}),
    sort: request.sort,
    page: { kind: "cursor", count: page.count, ...(page.after ? { after: page.after } : {}) },
  };
  const result = await session.resources.list(type, tenant.id, query);
  return { records: result.records, total: result.totalResults, nextCursor: nextCursorOf(ctx.cursors, page, result.next) };
}

/** GET /api/tenants/{slug}/users: search, filter, sort and count in the database, a keyset page at a time. */
export async function listUsers(ctx: ProvisioningContext, tenant: TenantRecord, request: DirectoryListRequest): Promise<DirectoryPage<UserRow>> {
  const page = await ctx.store.read((session) => listPage(ctx, session, "User", tenant, request));
  return { items: page.records.map(userRowOf), total: page.total, nextCursor: page.nextCursor };
}

/** GET /api/tenants/{slug}/groups: as listUsers, with the page's member counts from one grouped COUNT. */
export async function listGroups(ctx: ProvisioningContext, tenant: TenantRecord, request: DirectoryListRequest): Promise<DirectoryPage<GroupRow>> {
  return ctx.store.read(async (session) => {
    const page = await listPage(ctx, session, "Group", tenant, request);
    const counts = await session.resources.countMembersOf(tenant.id, page.records.map((record) => record.id));
    return { items: page.records.map((record) => groupRowOf(record, counts.get(record.id) ?? 0)), total: page.total, nextCursor: page.nextCursor };
  });
}

function notFound(type: ResourceTypeName, tenant: TenantRecord, id: string): AdminError {
  return adminError("not_found", `Tenant "${tenant.slug}" has no ${type === "User" ? "user" : "group"} "${id}".`);
}

/** A user with its direct groups, for the detail page. */
export async function getUser(ctx: ProvisioningContext, tenant: TenantRecord, id: string): Promise<ResourceView> {
  return ctx.store.read(async (session) => {
    const record = await session.resources.get("User", tenant.id, id);
    if (!record) throw notFound("User", tenant, id);
    const groups = (await session.resources.groupsOf(tenant.id, [id])).get(id) ?? [];
    return { record, groups };
  });
}

/** A group without its members (they are paged separately) and its member count. */
export async function getGroup(ctx: ProvisioningContext, tenant: TenantRecord, id: string): Promise<GroupDetailView> {
  return ctx.store.read(async (session) => {
    const record = await session.resources.get("Group", tenant.id, id);
    if (!record) throw notFound("Group", tenant, id);
    return { view: { record }, memberCount: await session.resources.countMembers(tenant.id, id) };
  });
}

/** Parses `cursor` and `count` of GET …/groups/{id}/members. */
export function parseMemberQuery(ctx: ProvisioningContext, tenant: TenantRecord, groupId: string, query: RawQuery): Result<PageStart, AdminError> {
  return parsePageStart(query, ctx.cursors, JSON.stringify(["members", tenant.id, groupId]));
}

/** A page of a group's direct members in member-id order: a key range, fast for a group of any size. */
export async function listMembers(ctx: ProvisioningContext, tenant: TenantRecord, groupId: string, page: PageStart): Promise<DirectoryPage<MemberRow>> {
  return ctx.store.read(async (session) => {
    if (!(await session.resources.get("Group", tenant.id, groupId))) throw notFound("Group", tenant, groupId);
    const total = await session.resources.countMembers(tenant.id, groupId);
    const found = await session.resources.pageMembers(tenant.id, groupId, { count: page.count + 1, ...(page.after ? { after: page.after.id } : {}) });
    const members = found.slice(0, page.count);
    const last = members[members.length - 1];
    const next = found.length > page.count && last ? { sortValue: null, id: last.value } : undefined;
    return {
      items: members.map((member) => ({ id: member.value, type: member.type, display: member.display ?? null })),
      total,
      nextCursor: nextCursorOf(ctx.cursors, page, next),
    };
  });
}
