import { scimError } from "../scim/errors.js";
import type { ListRequest } from "../scim/list-request.js";
import { applyPatch } from "../scim/patch/apply-patch.js";
import { parseResourceBody } from "../scim/resource/parse-resource-body.js";
import { unwrap } from "../scim/result.js";
import type { ResourceTypeName } from "../scim/schema/attribute.js";
import { newId } from "../store/ids.js";
import type { GroupRef, ListQuery, MemberView, PageRequest, ResourceRecord, StoreSession } from "../store/store.js";
import type { ProvisioningContext } from "./context.js";
import { applyMemberChanges } from "./member-changes.js";
import { hashPassword } from "./password.js";

/** A resource with the relations the response needs (members of a Group, groups of a User). */
export interface ResourceView {
  readonly record: ResourceRecord;
  readonly members?: readonly MemberView[];
  readonly groups?: readonly GroupRef[];
}

/** Which relations to load: only those the response will return (RFC 7644 §3.9 projection). */
export interface Relations {
  readonly members: boolean;
  readonly groups: boolean;
}

/** One page of a list with its relations. */
export interface ResourcePage {
  readonly views: readonly ResourceView[];
  readonly totalResults: number;
  /** RFC 9865 nextCursor, when cursor paging and more results follow. */
  readonly nextCursor?: string;
}

/** Tenant and resource type a use case acts on. */
export interface Target {
  readonly tenantId: string;
  readonly type: ResourceTypeName;
}

const relationsOf = (type: ResourceTypeName): ReadonlySet<string> => (type === "Group" ? new Set(["members"]) : new Set());

/** The weak ETag of a version (RFC 7644 §3.14). */
export function etagOfVersion(version: number): string {
  return `W/"${version}"`;
}

/** The weak ETag of a record's version. */
export function etagOf(record: ResourceRecord): string {
  return etagOfVersion(record.version);
}

/** POST: creates a User or Group (with its members) in one transaction. */
export async function createResource(ctx: ProvisioningContext, target: Target, body: unknown, relations: Relations): Promise<ResourceView> {
  const schema = ctx.registry.forType(target.type);
  const parsed = unwrap(parseResourceBody(schema, body, { mode: "create" }));
  const passwordHash = await hashIfGiven(parsed.password);
  const id = newId();
  return ctx.store.write(async (session) => {
    const record = await session.resources.insert({
      tenantId: target.tenantId,
      id,
      type: target.type,
      attributes: parsed.attributes,
      created: ctx.now().toISOString(),
      ...(passwordHash === undefined ? {} : { passwordHash }),
    });
    if (parsed.members && parsed.members.length > 0) {
      await applyMemberChanges(session, target.tenantId, id, [{ kind: "add", members: parsed.members }]);
    }
    // A User this moment created is in no group (membership rows name existing resources): nothing to read.
    if (target.type === "User") return { record, ...(relations.groups ? { groups: [] } : {}) };
    return loadRelations(session, record, relations);
  });
}

/** GET by id. */
export async function getResource(ctx: ProvisioningContext, target: Target, id: string, relations: Relations): Promise<ResourceView> {
  return ctx.store.read(async (session) => loadRelations(session, await requireRecord(session, target, id), relations));
}

/** PUT: replaces every client-owned attribute (RFC 7644 §3.5.1); members only when the body asserts them. */
export async function replaceResource(ctx: ProvisioningContext, target: Target, id: string, body: unknown, ifMatch: string | undefined, relations: Relations): Promise<ResourceView> {
  const schema = ctx.registry.forType(target.type);
  // Validate and hash the password before taking the write lock: hashing takes tens of milliseconds.
  const passwordHash = await hashIfGiven(unwrap(parseResourceBody(schema, body, { mode: "replace" })).password);
  return ctx.store.write(async (session) => {
    const current = await requireRecord(session, target, id);
    checkPrecondition(current, ifMatch);
    const parsed = unwrap(parseResourceBody(schema, body, { mode: "replace", current: { id, attributes: current.attributes } }));
    const record = await session.resources.update({
      tenantId: target.tenantId,
      id,
      type: target.type,
      attributes: parsed.attributes,
      lastModified: ctx.now().toISOString(),
      expectedVersion: current.version,
      previous: current.attributes,
      ...(passwordHash === undefined ? {} : { passwordHash }),
    });
    // Membership rows are not part of the group's row: the record as updated stays the one to return.
    if (parsed.members !== undefined) await applyMemberChanges(session, target.tenantId, id, [{ kind: "clear" }, { kind: "add", members: parsed.members }]);
    return loadRelations(session, record, relations);
  });
}

/** PATCH (RFC 7644 §3.5.2): all operations apply in one transaction, or none do. */
export async function patchResource(ctx: ProvisioningContext, target: Target, id: string, body: unknown, ifMatch: string | undefined, relations: Relations): Promise<ResourceView> {
  const schema = ctx.registry.forType(target.type);
  const options = { relations: relationsOf(target.type) };
  const passwordHash = await precomputePasswordHash(ctx, target, id, body, options);
  return ctx.store.write(async (session) => {
    const current = await requireRecord(session, target, id);
    checkPrecondition(current, ifMatch);
    const outcome = unwrap(applyPatch(schema, { id, attributes: current.attributes }, body, options));
    const now = ctx.now().toISOString();
    let record = current;
    if (outcome.changed || outcome.password !== undefined) {
      record = await session.resources.update({
        tenantId: target.tenantId,
        id,
        type: target.type,
        attributes: outcome.attributes,
        lastModified: now,
        expectedVersion: current.version,
        previous: current.attributes,
        ...(passwordHash === undefined ? {} : { passwordHash }),
      });
    }
    if (outcome.memberChanges.length > 0 && (await applyMemberChanges(session, target.tenantId, id, outcome.memberChanges)) && record === current) {
      record = (await session.resources.touch(target.type, target.tenantId, id, now)) ?? record;
    }
    return loadRelations(session, record, relations);
  });
}

/**
 * A PATCH may set the password anywhere in a path-less value, so it is only known after applying the
 * operations. When the body mentions a password at all, apply it once outside the transaction to hash
 * the new password without holding the write lock; the transaction applies it again on fresh data.
 */
async function precomputePasswordHash(ctx: ProvisioningContext, target: Target, id: string, body: unknown, options: { relations: ReadonlySet<string> }): Promise<string | undefined> {
  if (!JSON.stringify(body ?? null).toLowerCase().includes("password")) return undefined;
  const schema = ctx.registry.forType(target.type);
  const current = await ctx.store.read((session) => requireRecord(session, target, id));
  const outcome = unwrap(applyPatch(schema, { id, attributes: current.attributes }, body, options));
  return hashIfGiven(outcome.password);
}

/** Hashes a password the request carries, before the transaction; undefined when it carries none. */
async function hashIfGiven(password: string | undefined): Promise<string | undefined> {
  return password === undefined ? undefined : hashPassword(password);
}

/** DELETE: removes the resource and its memberships; groups that lost it as a member get a new version. */
export async function deleteResource(ctx: ProvisioningContext, target: Target, id: string, ifMatch: string | undefined): Promise<void> {
  await ctx.store.write(async (session) => {
    const current = await requireRecord(session, target, id);
    checkPrecondition(current, ifMatch);
    const containing = (await session.resources.groupsOf(target.tenantId, [id])).get(id) ?? [];
    await session.resources.delete(target.type, target.tenantId, id);
    const now = ctx.now().toISOString();
    for (const group of containing) await session.resources.touch("Group", target.tenantId, group.value, now);
  });
}

/** GET list / POST .search: filter, sort and page in the database. */
export async function listResources(ctx: ProvisioningContext, target: Target, request: ListRequest, relations: Relations): Promise<ResourcePage> {
  const query = listQueryOf(ctx, request);
  return ctx.store.read(async (session) => {
    const result = await session.resources.list(target.type, target.tenantId, query);
    const views = await loadRelationsMany(session, result.records, relations);
    const nextCursor = result.next ? ctx.cursors.encode(result.next, request.fingerprint) : undefined;
    return { views, totalResults: result.totalResults, ...(nextCursor ? { nextCursor } : {}) };
  });
}

/** The store's query of a list request: its filter, sort and page. */
export function listQueryOf(ctx: ProvisioningContext, request: ListRequest): ListQuery {
  return { ...(request.filter ? { filter: request.filter } : {}), ...(request.sort ? { sort: request.sort } : {}), page: pageOf(ctx, request) };
}

/** The store's page of a list request; a cursor is decoded and checked against the request it came from. */
function pageOf(ctx: ProvisioningContext, request: ListRequest): PageRequest {
  if (request.paging.kind !== "cursor") return request.paging;
  const after = request.paging.cursor === "" ? undefined : unwrap(ctx.cursors.decode(request.paging.cursor, request.fingerprint));
  return { kind: "cursor", count: request.paging.count, ...(after ? { after } : {}) };
}

async function requireRecord(session: StoreSession, target: Target, id: string): Promise<ResourceRecord> {
  const record = await session.resources.get(target.type, target.tenantId, id);
  if (!record) throw scimError("notFound", `${target.type} "${id}" not found.`);
  return record;
}

/** RFC 7644 §3.14: If-Match with a list of ETags or `*`; a mismatch is 412 and nothing is written. */
function checkPrecondition(current: ResourceRecord, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(",").map((tag) => tag.trim());
  const version = etagOf(current);
  const strong = version.slice(2);
  if (tags.some((tag) => tag === "*" || tag === version || tag === strong)) return;
  throw scimError("preconditionFailed", `The resource has version ${version}, not ${ifMatch}; fetch it again and retry.`);
}

async function loadRelations(session: StoreSession, record: ResourceRecord, relations: Relations): Promise<ResourceView> {
  const [view] = await loadRelationsMany(session, [record], relations);
  return view ?? { record };
}

async function loadRelationsMany(session: StoreSession, records: readonly ResourceRecord[], relations: Relations): Promise<ResourceView[]> {
  if (records.length === 0) return [];
  const ids = records.map((record) => record.id);
  const type = records[0]?.type;
  const members = type === "Group" && relations.members ? await session.resources.membersOf(records[0]!.tenantId, ids) : undefined;
  const groups = type === "User" && relations.groups ? await session.resources.groupsOf(records[0]!.tenantId, ids) : undefined;
  return records.map((record) => ({
    record,
    ...(members ? { members: members.get(record.id) ?? [] } : {}),
    ...(groups ? { groups: groups.get(record.id) ?? [] } : {}),
  }));
}
