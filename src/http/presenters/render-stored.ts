import { etagOfVersion } from "../../provisioning/resources.js";
import type { ResourceSchema } from "../../scim/schema/registry.js";
import { Urn } from "../../scim/urns.js";
import type { StoredResource } from "../../store/store.js";
import { locationOf } from "./present-resource.js";

const quote = JSON.stringify;

/**
 * The wire document of a looked-up resource with the default projection, as JSON text assembled around
 * the stored document instead of parsing it and serialising it again: the same bytes as
 * JSON.stringify(projectResource(presentResource(…), default)) — schemas, id, the client attributes in
 * stored order, groups, meta. That holds because a stored document is already what the default
 * projection returns (nothing `returned: never` or `request` is stored, no empty objects;
 * render-stored.test.ts checks it on generated documents) and SQLite stores JSON.stringify's text.
 * PostgreSQL's jsonb text is re-serialised first (it spaces its separators).
 */
export function renderStoredResource(stored: StoredResource, schema: ResourceSchema, baseUrl: string): string {
  const attributes = stored.canonicalJson ? stored.attributesJson : JSON.stringify(JSON.parse(stored.attributesJson));
  let text = `{"schemas":${quote([schema.core.id, ...stored.extensions])},"id":${quote(stored.id)}`;
  if (attributes.length > 2) text += `,${attributes.slice(1, -1)}`;
  if (stored.groups && stored.groups.length > 0) {
    const groups = stored.groups.map((group) => {
      const display = group.display === undefined ? "" : `,"display":${quote(group.display)}`;
      return `{"value":${quote(group.value)},"$ref":${quote(locationOf(baseUrl, "Group", group.value))}${display},"type":"direct"}`;
    });
    text += `,"groups":[${groups.join(",")}]`;
  }
  const location = quote(locationOf(baseUrl, stored.type, stored.id));
  return `${text},"meta":{"resourceType":${quote(stored.type)},"created":${quote(stored.created)},"lastModified":${quote(stored.lastModified)},"location":${location},"version":${quote(etagOfVersion(stored.version))}}}`;
}

/**
 * A ListResponse (RFC 7644 §3.4.2; RFC 9865 §2 for nextCursor) whose resources are already JSON text, in
 * presentList's member order: startIndex for index paging, nextCursor when more results follow.
 */
export function renderListText(head: { readonly totalResults: number; readonly startIndex?: number; readonly nextCursor?: string }, resources: readonly string[]): string {
  let text = `{"schemas":["${Urn.ListResponse}"],"totalResults":${head.totalResults}`;
  if (head.startIndex !== undefined) text += `,"startIndex":${head.startIndex}`;
  text += `,"itemsPerPage":${resources.length}`;
  if (head.nextCursor !== undefined) text += `,"nextCursor":${quote(head.nextCursor)}`;
  return `${text},"Resources":[${resources.join(",")}]}`;
}
