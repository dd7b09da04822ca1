import type { ResourceView } from "../../provisioning/resources.js";
import type { MemberView } from "../../store/store.js";
import { etagOf } from "../../provisioning/resources.js";
import { isJsonObject, type JsonObject } from "../../scim/json.js";
import type { ResourceSchema } from "../../scim/schema/registry.js";

/** The URL of a resource under a tenant's SCIM base URL. */
export function locationOf(baseUrl: string, type: "User" | "Group", id: string): string {
  return `${baseUrl}/${type}s/${encodeURIComponent(id)}`;
}

/**
 * A stored resource as the wire document (RFC 7643 §3): schemas, id, client attributes, derived
 * relations (User.groups, Group.members) and meta. Database rows never reach the wire otherwise.
 */
export function presentResource(view: ResourceView, schema: ResourceSchema, baseUrl: string): JsonObject {
  const { record } = view;
  const extensionUrns = schema.extensions.map((ext) => ext.id).filter((urn) => isJsonObject(record.attributes[urn]));
  const document: JsonObject = { schemas: [schema.core.id, ...extensionUrns], id: record.id, ...record.attributes };
  if (view.groups && view.groups.length > 0) {
    document.groups = view.groups.map((group) => ({
      value: group.value,
      $ref: locationOf(baseUrl, "Group", group.value),
      ...(group.display === undefined ? {} : { display: group.display }),
      type: "direct",
    }));
  }
  if (view.members) {
    document.members = view.members.map((member) => presentMember(member, baseUrl));
  }
  document.meta = {
    resourceType: record.type,
    created: record.created,
    lastModified: record.lastModified,
    location: locationOf(baseUrl, record.type, record.id),
    version: etagOf(record),
  };
  return document;
}

/** One element of a Group's `members` (RFC 7643 §4.2): value, $ref, type and the member's current display name. */
export function presentMember(member: MemberView, baseUrl: string): JsonObject {
  return {
    value: member.value,
    $ref: locationOf(baseUrl, member.type, member.value),
    type: member.type,
    ...(member.display === undefined ? {} : { display: member.display }),
  };
}
