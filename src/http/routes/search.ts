import type { FastifyInstance } from "fastify";
import type { ProvisioningContext } from "../../provisioning/context.js";
import { searchAllTypes } from "../../provisioning/search-all.js";
import { protocolLimits } from "../../scim/limits.js";
import { projectResource } from "../../scim/resource/projection.js";
import { Urn } from "../../scim/urns.js";
import { asScim } from "../media-types.js";
import { routeMethods } from "../method-guard.js";
import { presentResource } from "../presenters/present-resource.js";
import { principalOf } from "../request-context.js";

/** POST {base}/.search across all resource types (RFC 7644 §3.4.3). */
export function registerRootSearchRoute(app: FastifyInstance, provisioning: ProvisioningContext, baseUrlOf: (slug: string) => string): void {
  routeMethods(app, "/.search", {
    POST: async (request, reply) => {
      const { tenant } = principalOf(request);
      const limits = { defaultCount: protocolLimits.defaultPageSize, maxCount: protocolLimits.maxPageSize };
      const result = await searchAllTypes(provisioning, tenant.id, request.body, limits);
      const base = baseUrlOf(tenant.slug);
      const resources = result.items.map(({ schema, request: list, view }) => projectResource(schema, presentResource(view, schema, base), list.projection));
      return asScim(reply).send({
        schemas: [Urn.ListResponse],
        totalResults: result.totalResults,
        startIndex: result.startIndex,
        itemsPerPage: resources.length,
        Resources: resources,
      });
    },
  });
}
