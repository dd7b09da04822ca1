import type { JsonObject } from "./json.js";
import { protocolLimits } from "./limits.js";
import type { AttributeDefinition, SchemaDefinition } from "./schema/attribute.js";
import type { ResourceSchema, SchemaRegistry } from "./schema/registry.js";
import { Urn } from "./urns.js";

/** RFC 7643 §5 ServiceProviderConfig, stating only what Muster really does (RFC-15), plus RFC 9865 `pagination`. */
export function presentServiceProviderConfig(baseUrl: string): JsonObject {
  return {
    schemas: [Urn.ServiceProviderConfig],
    patch: { supported: true },
    bulk: { supported: true, maxOperations: protocolLimits.bulkMaxOperations, maxPayloadSize: protocolLimits.bulkMaxPayloadBytes },
    filter: { supported: true, maxResults: protocolLimits.maxPageSize },
    changePassword: { supported: true },
    sort: { supported: true },
    etag: { supported: true },
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: "index",
      defaultPageSize: protocolLimits.defaultPageSize,
      maxPageSize: protocolLimits.maxPageSize,
    },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Bearer token",
        description: "A Muster SCIM token sent as 'Authorization: Bearer <token>'. Create one with 'muster tokens create'.",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
  };
}

/** RFC 7643 §6 ResourceType resource. */
export function presentResourceType(type: ResourceSchema, baseUrl: string): JsonObject {
  const { id, name, endpoint, description, schema, schemaExtensions } = type.type;
  return {
    schemas: [Urn.ResourceType],
    id,
    name,
    endpoint,
    description,
    schema,
    schemaExtensions: schemaExtensions.map((ext) => ({ schema: ext.schema, required: ext.required })),
    meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/${id}` },
  };
}

/** RFC 7643 §7 Schema resource; absent characteristics are omitted, never null (ENT-80). */
export function presentSchema(schema: SchemaDefinition, baseUrl: string): JsonObject {
  return {
    schemas: [Urn.Schema],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(presentAttribute),
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

function presentAttribute(attribute: AttributeDefinition): JsonObject {
  const out: JsonObject = {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued,
    description: attribute.description,
    required: attribute.required,
    caseExact: attribute.caseExact,
    mutability: attribute.mutability,
    returned: attribute.returned,
    uniqueness: attribute.uniqueness,
  };
  if (attribute.canonicalValues) out.canonicalValues = [...attribute.canonicalValues];
  if (attribute.referenceTypes) out.referenceTypes = [...attribute.referenceTypes];
  if (attribute.subAttributes) out.subAttributes = attribute.subAttributes.map(presentAttribute);
  return out;
}

/** Finds a schema by URN, case-insensitively. */
export function findSchema(registry: SchemaRegistry, urn: string): SchemaDefinition | undefined {
  const wanted = urn.toLowerCase();
  return registry.schemas.find((schema) => schema.id.toLowerCase() === wanted);
}

/** Finds a resource type by id, case-insensitively. */
export function findResourceType(registry: SchemaRegistry, id: string): ResourceSchema | undefined {
  const wanted = id.toLowerCase();
  return registry.resourceTypes.find((type) => type.type.id.toLowerCase() === wanted);
}

/** A ListResponse (RFC 7644 §3.4.2) over a complete, small collection such as /Schemas. */
export function presentStaticList(resources: readonly JsonObject[]): JsonObject {
  return { schemas: [Urn.ListResponse], totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: [...resources] };
}
