import { scimError } from "../scim/errors.js";
import type { JsonObject } from "../scim/json.js";
import type { ListRequest } from "../scim/list-request.js";
import type { ResourceSchema } from "../scim/schema/registry.js";
import { lookupKeys, type LookupKey, type LookupOptions, type StoredResource } from "../store/store.js";
import type { ProvisioningContext } from "./context.js";
import { listQueryOf, type Relations, type ResourceView, type Target } from "./resources.js";

/** A first page answered by one lookup: its resources and totalResults. */
export interface LookupPage {
  readonly stored: readonly StoredResource[];
  readonly totalResults: number;
}

function lookupOptions(schema: ResourceSchema, relations: Relations): LookupOptions {
  return { groups: relations.groups, extensions: schema.extensions.map((extension) => extension.id) };
}

/** GET by id (users with their groups when the response shows them; not a group with its members): one statement; notFound when absent. */
export async function lookupResource(ctx: ProvisioningContext, target: Target, id: string, relations: Relations): Promise<StoredResource> {
  const schema = ctx.registry.forType(target.type);
  const stored = await ctx.store.lookup.byId(target.type, target.tenantId, id, lookupOptions(schema, relations));
  if (!stored) throw scimError("notFound", `${target.type} "${id}" not found.`);
  return stored;
}

/**
 * The key and value when a list request is an identity provider's match (`userName eq "…"`,
 * `externalId eq "…"`, `id eq "…"`, a Group's `displayName eq "…"`) on its first index page without
 * sortBy: one indexed statement answers it. undefined for every other request.
 */
export function lookupOf(schema: ResourceSchema, request: ListRequest): { readonly key: LookupKey; readonly value: string; readonly count: number } | undefined {
  const { filter, paging } = request;
  if (filter?.kind !== "compare" || filter.op !== "eq" || typeof filter.value !== "string") return undefined;
  if (request.sort !== undefined || paging.kind !== "index" || paging.startIndex !== 1 || paging.count < 1) return undefined;
  const { attr, value } = filter;
  if (attr.extension || attr.subAttribute !== undefined || attr.schema !== schema.core.id) return undefined;
  const key = lookupKeys[schema.name].find((candidate) => candidate === attr.attribute.name);
  if (key === undefined) return undefined;
  return { key, value, count: paging.count };
}

/**
 * A list request answered by one lookup (see lookupOf), or undefined when it needs the general list
 * path: the request is of another shape, or more matches exist than the page holds (then only a COUNT
 * knows totalResults).
 */
export async function lookupList(ctx: ProvisioningContext, target: Target, request: ListRequest, relations: Relations): Promise<LookupPage | undefined> {
  const schema = ctx.registry.forType(target.type);
  const lookup = lookupOf(schema, request);
  // A group's members are read (and streamed) by the general path.
  if (!lookup || (target.type === "Group" && relations.members)) return undefined;
  // One row more than the page tells whether the page holds every match.
  const stored = await ctx.store.lookup.byKey(target.type, target.tenantId, lookup.key, lookup.value, lookup.count + 1, lookupOptions(schema, relations));
  return stored.length > lookup.count ? undefined : { stored, totalResults: stored.length };
}

/** One page of a list as stored resources, with the RFC 9865 nextCursor when more follow. */
export interface StoredListPage {
  readonly stored: readonly StoredResource[];
  readonly totalResults: number;
  readonly nextCursor?: string;
}

/**
 * GET list / POST .search of Users, or of Groups without their members: filter, sort and page in the
 * database as listResources does, each resource read with its groups and extension flags in the page's
 * own statement and kept as stored JSON text.
 */
export async function listStoredPage(ctx: ProvisioningContext, target: Target, request: ListRequest, relations: Relations): Promise<StoredListPage> {
  const schema = ctx.registry.forType(target.type);
  if (target.type === "Group" && relations.members) throw new Error("a group's members are read by listResources");
  const query = listQueryOf(ctx, request);
  const result = await ctx.store.read((session) => session.resources.listStored(target.type, target.tenantId, query, lookupOptions(schema, relations)));
  const nextCursor = result.next ? ctx.cursors.encode(result.next, request.fingerprint) : undefined;
  return { stored: result.resources, totalResults: result.totalResults, ...(nextCursor ? { nextCursor } : {}) };
}

/** A looked-up resource as the view the presenters take (parses its document). */
export function viewOfStored(stored: StoredResource): ResourceView {
  const record = {
    tenantId: stored.tenantId,
    id: stored.id,
    type: stored.type,
    attributes: JSON.parse(stored.attributesJson) as JsonObject,
    created: stored.created,
    lastModified: stored.lastModified,
    version: stored.version,
  };
  return stored.groups === undefined ? { record } : { record, groups: stored.groups };
}
