import type { FastifyInstance, FastifyRequest } from "fastify";
import { runBulk } from "../../provisioning/bulk.js";
import type { ProvisioningContext } from "../../provisioning/context.js";
import { presentError } from "../../scim/errors.js";
import type { JsonObject } from "../../scim/json.js";
import { protocolLimits } from "../../scim/limits.js";
import { Urn } from "../../scim/urns.js";
import { asScim } from "../media-types.js";
import { routeMethods } from "../method-guard.js";
import { locationOf } from "../presenters/present-resource.js";
import { principalOf } from "../request-context.js";

/** POST /Bulk (RFC 7644 §3.7) with maxPayloadSize enforced as this route's body limit (413 beyond it). */
export function registerBulkRoute(app: FastifyInstance, provisioning: ProvisioningContext, baseUrlOf: (slug: string) => string): void {
  routeMethods(
    app,
    "/Bulk",
    {
      POST: async (request: FastifyRequest, reply) => {
        const { tenant } = principalOf(request);
        const results = await runBulk(provisioning, tenant.id, request.body);
        const base = baseUrlOf(tenant.slug);
        const operations = results.map((result): JsonObject => {
          const op: JsonObject = { method: result.method };
          if (result.bulkId !== undefined) op.bulkId = result.bulkId;
          if (result.resource && result.method !== "DELETE") {
            op.location = locationOf(base, result.resource.type, result.resource.id);
            op.version = result.resource.version;
          } else if (result.resource) {
            op.location = locationOf(base, result.resource.type, result.resource.id);
          }
          op.status = String(result.status);
          if (result.error) op.response = { ...presentError(result.error) };
          return op;
        });
        return asScim(reply).send({ schemas: [Urn.BulkResponse], Operations: operations });
      },
    },
    { POST: protocolLimits.bulkMaxPayloadBytes },
  );
}
