import type { FastifyInstance, FastifyRequest } from "fastify";
import { findResourceType, findSchema, presentResourceType, presentSchema, presentServiceProviderConfig, presentStaticList } from "../../scim/discovery.js";
import { scimError } from "../../scim/errors.js";
import type { SchemaRegistry } from "../../scim/schema/registry.js";
import { asScim } from "../media-types.js";
import { routeMethods } from "../method-guard.js";
import { principalOf } from "../request-context.js";

/** RFC 7644 §4 discovery endpoints: ServiceProviderConfig, ResourceTypes, Schemas (read-only; other methods 405). */
export function registerDiscoveryRoutes(app: FastifyInstance, registry: SchemaRegistry, baseUrlOf: (slug: string) => string): void {
  const base = (request: FastifyRequest) => baseUrlOf(principalOf(request).tenant.slug);
  const param = (request: FastifyRequest) => (request.params as { id: string }).id;

  routeMethods(app, "/ServiceProviderConfig", {
    GET: async (request, reply) => asScim(reply).send(presentServiceProviderConfig(base(request))),
  });
  routeMethods(app, "/ResourceTypes", {
    GET: async (request, reply) => asScim(reply).send(presentStaticList(registry.resourceTypes.map((type) => presentResourceType(type, base(request))))),
  });
  routeMethods(app, "/ResourceTypes/:id", {
    GET: async (request, reply) => {
      const type = findResourceType(registry, param(request));
      if (!type) throw scimError("notFound", `There is no resource type "${param(request)}"; see /ResourceTypes.`);
      return asScim(reply).send(presentResourceType(type, base(request)));
    },
  });
  routeMethods(app, "/Schemas", {
    GET: async (request, reply) => asScim(reply).send(presentStaticList(registry.schemas.map((schema) => presentSchema(schema, base(request))))),
  });
  routeMethods(app, "/Schemas/:id", {
    GET: async (request, reply) => {
      const schema = findSchema(registry, param(request));
      if (!schema) throw scimError("notFound", `There is no schema "${param(request)}"; see /Schemas.`);
      return asScim(reply).send(presentSchema(schema, base(request)));
    },
  });
}
