import type { FastifyInstance } from "fastify";
import type { TokenSummary } from "../../../shared/admin-api.js";
import { issueClientToken, listClientTokens, revokeClientToken } from "../../admin/client-tokens.js";
import { presentCreatedToken, presentToken } from "./present-tenant.js";
import { jsonObjectBody, pathParameter, stringField } from "./request-input.js";
import { tenantOf, type TenantRouteOptions } from "./tenants-routes.js";

/** shared/admin-api.ts "SCIM tokens": create (the secret is shown once), list newest first, revoke. */
export function registerTokenRoutes(app: FastifyInstance, options: TenantRouteOptions): void {
  const { store, publicUrl, authenticator } = options;

  app.get("/tenants/:slug/tokens", async (request): Promise<TokenSummary[]> => (await listClientTokens(store, await tenantOf(store, request))).map(presentToken));

  app.post("/tenants/:slug/tokens", async (request, reply) => {
    const tenant = await tenantOf(store, request);
    const issued = await issueClientToken(store, tenant, stringField(jsonObjectBody(request), "clientName"));
    return reply.code(201).send(presentCreatedToken(issued, tenant, publicUrl()));
  });

  app.delete("/tenants/:slug/tokens/:id", async (request, reply) => {
    await revokeClientToken(store, authenticator, await tenantOf(store, request), pathParameter(request, "id"));
    return reply.code(204).send();
  });
}
