import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ProvisioningContext } from "../../provisioning/context.js";
import { listStoredPage, lookupList, lookupResource, viewOfStored } from "../../provisioning/lookups.js";
import { getResourcePaged } from "../../provisioning/member-pages.js";
import { createResource, deleteResource, etagOf, etagOfVersion, listResources, patchResource, replaceResource, type ResourcePage, type ResourceView } from "../../provisioning/resources.js";
import type { JsonObject } from "../../scim/json.js";
import { parseListQuery, parseSearchRequest, type ListRequest } from "../../scim/list-request.js";
import { protocolLimits } from "../../scim/limits.js";
import { parseProjection, projectResource, wantsAttribute, type Projection } from "../../scim/resource/projection.js";
import { unwrap } from "../../scim/result.js";
import type { ResourceSchema } from "../../scim/schema/registry.js";
import { Urn } from "../../scim/urns.js";
import { asScim } from "../media-types.js";
import { routeMethods } from "../method-guard.js";
import { locationOf, presentResource } from "../presenters/present-resource.js";
import { renderListText, renderStoredResource } from "../presenters/render-stored.js";
import { presentPagedResource, readableOf } from "../presenters/stream-resource.js";
import type { StoredResource } from "../../store/store.js";
import { principalOf, queryOf, singleHeader } from "../request-context.js";

/** What resource routes need from the server. */
export interface ResourceRouteOptions {
  readonly provisioning: ProvisioningContext;
  /** The SCIM base URL of a tenant, e.g. https://scim.example.com/scim/v2/acme. */
  readonly baseUrlOf: (tenantSlug: string) => string;
}

const limits = { defaultCount: protocolLimits.defaultPageSize, maxCount: protocolLimits.maxPageSize };

/** Registers /Users or /Groups (RFC 7644 §3.3–§3.6) for one resource type inside the tenant plugin. */
export function registerResourceRoutes(app: FastifyInstance, schema: ResourceSchema, options: ResourceRouteOptions): void {
  const { provisioning, baseUrlOf } = options;
  const type = schema.name;
  const endpoint = schema.type.endpoint;
  const targetOf = (request: FastifyRequest) => ({ tenantId: principalOf(request).tenant.id, type });
  const baseOf = (request: FastifyRequest) => baseUrlOf(principalOf(request).tenant.slug);
  const projectionOf = (request: FastifyRequest): Projection => {
    const query = queryOf(request);
    return unwrap(parseProjection(schema, { attributes: stringOrUndefined(query.attributes), excludedAttributes: stringOrUndefined(query.excludedAttributes) }));
  };
  const relationsOf = (projection: Projection) => ({
    members: wantsAttribute(schema, projection, "members"),
    groups: wantsAttribute(schema, projection, "groups"),
  });
  const sendOne = (request: FastifyRequest, reply: FastifyReply, view: ResourceView, projection: Projection, status: number) => {
    const document = projectResource(schema, presentResource(view, schema, baseOf(request)), projection);
    reply.code(status).header("ETag", etagOf(view.record));
    if (status === 201) reply.header("Location", locationOf(baseOf(request), type, view.record.id));
    return asScim(reply).send(document);
  };
  // Resources answered by the lookup path: the default projection is assembled around the stored JSON text.
  const renderStored = (stored: StoredResource, projection: Projection, base: string): string =>
    projection.kind === "default" ? renderStoredResource(stored, schema, base) : JSON.stringify(projectResource(schema, presentResource(viewOfStored(stored), schema, base), projection));
  const sendList = async (request: FastifyRequest, reply: FastifyReply, list: ListRequest) => {
    const relations = relationsOf(list.projection);
    const looked = await lookupList(provisioning, targetOf(request), list, relations);
    if (looked) {
      const base = baseOf(request);
      return asScim(reply).send(renderListText({ totalResults: looked.totalResults, startIndex: 1 }, looked.stored.map((stored) => renderStored(stored, list.projection, base))));
    }
    if (!relations.members) {
      const page = await listStoredPage(provisioning, targetOf(request), list, relations);
      const base = baseOf(request);
      const startIndex = list.paging.kind === "index" ? list.paging.startIndex : undefined;
      const head = { totalResults: page.totalResults, ...(startIndex === undefined ? {} : { startIndex }), ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
      return asScim(reply).send(renderListText(head, page.stored.map((stored) => renderStored(stored, list.projection, base))));
    }
    const page = await listResources(provisioning, targetOf(request), list, relations);
    return asScim(reply).send(presentList(page, list, (view) => projectResource(schema, presentResource(view, schema, baseOf(request)), list.projection)));
  };

  // A Group body carries its whole membership (Okta PUTs every member of a group on each change).
  const writeLimit = type === "Group" ? protocolLimits.maxGroupBodyBytes : protocolLimits.maxBodyBytes;
  const writeLimits = { POST: writeLimit, PUT: writeLimit, PATCH: writeLimit };

  routeMethods(app, endpoint, {
    GET: async (request, reply) => sendList(request, reply, unwrap(parseListQuery(schema, queryOf(request), limits))),
    POST: async (request, reply) => {
      const projection = projectionOf(request);
      const view = await createResource(provisioning, targetOf(request), request.body, relationsOf(projection));
      return sendOne(request, reply, view, projection, 201);
    },
  }, writeLimits);

  routeMethods(app, `${endpoint}/.search`, {
    POST: async (request, reply) => sendList(request, reply, unwrap(parseSearchRequest(schema, request.body, limits))),
  });

  routeMethods(app, `${endpoint}/:id`, {
    GET: async (request, reply) => {
      const projection = projectionOf(request);
      const relations = relationsOf(projection);
      if (!relations.members) {
        const stored = await lookupResource(provisioning, targetOf(request), idOf(request), relations);
        const etag = etagOfVersion(stored.version);
        const ifNoneMatch = singleHeader(request, "if-none-match");
        if (ifNoneMatch && matchesAny(ifNoneMatch, etag)) return reply.code(304).header("ETag", etag).send();
        reply.code(200).header("ETag", etag);
        return asScim(reply).send(renderStored(stored, projection, baseOf(request)));
      }
      const view = await getResourcePaged(provisioning, targetOf(request), idOf(request), relations);
      const ifNoneMatch = singleHeader(request, "if-none-match");
      if (ifNoneMatch && matchesAny(ifNoneMatch, etagOf(view.record))) {
        return reply.code(304).header("ETag", etagOf(view.record)).send();
      }
      const body = presentPagedResource(view, schema, baseOf(request), projection);
      reply.code(200).header("ETag", etagOf(view.record));
      if (body.kind === "document") return asScim(reply).send(body.document);
      return asScim(reply).send(readableOf(loggingFailure(request, body.chunks, `${type} "${view.record.id}"`)));
    },
    PUT: async (request, reply) => {
      const projection = projectionOf(request);
      const view = await replaceResource(provisioning, targetOf(request), idOf(request), request.body, singleHeader(request, "if-match"), relationsOf(projection));
      return sendOne(request, reply, view, projection, 200);
    },
    PATCH: async (request, reply) => {
      const projection = projectionOf(request);
      const query = queryOf(request);
      // Group PATCH answers 204 unless the client asks for attributes: returning a large member list on
      // every membership change is what Microsoft advises against (ENT-53); RFC 7644 §3.5.2 allows 204.
      const wantsBody = type === "User" || query.attributes !== undefined || query.excludedAttributes !== undefined;
      const relations = wantsBody ? relationsOf(projection) : { members: false, groups: false };
      const view = await patchResource(provisioning, targetOf(request), idOf(request), request.body, singleHeader(request, "if-match"), relations);
      if (!wantsBody) return reply.code(204).header("ETag", etagOf(view.record)).send();
      return sendOne(request, reply, view, projection, 200);
    },
    DELETE: async (request, reply) => {
      await deleteResource(provisioning, targetOf(request), idOf(request), singleHeader(request, "if-match"));
      return reply.code(204).send();
    },
   }, writeLimits);
}

/** A ListResponse (RFC 7644 §3.4.2; RFC 9865 §2 for nextCursor). */
export function presentList(page: ResourcePage, list: ListRequest, present: (view: ResourceView) => JsonObject): JsonObject {
  const resources = page.views.map(present);
  const body: JsonObject = { schemas: [Urn.ListResponse], totalResults: page.totalResults };
  if (list.paging.kind === "index") body.startIndex = list.paging.startIndex;
  body.itemsPerPage = resources.length;
  if (page.nextCursor) body.nextCursor = page.nextCursor;
  body.Resources = resources;
  return body;
}

/**
 * Passes the chunks through and logs a failure before it ends the response: once the status and the
 * first chunks are sent, the only honest signal left is a connection closed before the JSON ends.
 */
async function* loggingFailure(request: FastifyRequest, chunks: AsyncGenerator<string>, what: string): AsyncGenerator<string> {
  try {
    yield* chunks;
  } catch (error) {
    request.log.error({ err: error }, `reading the members of ${what} failed while streaming them; the response is cut off`);
    throw error;
  }
}

function idOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

function stringOrUndefined(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(",") : String(value);
}

function matchesAny(header: string, etag: string): boolean {
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed === etag || trimmed === etag.slice(2);
  });
}
