import type { FastifyInstance } from "fastify";
import type { TokenSummary } from "../../../shared/admin-api.js";
import { issueClientToken, listClientTokens, revokeClientToken } from "../../admin/client-tokens.js";
import { presentCreatedToken, presentToken } from "./present-tenant.js";
import { actorOf } from "./request-actor.js";
import { jsonObjectBody, pathParameter, stringField } from "./request-input.js";
import { slugOf, tenantOf, type TenantRouteOptions } from "./tenants-routes.js";

/** shared/admin-api.ts "SCIM tokens": create (the secret is shown once), list newest first, revoke. */
export function registerTokenRoutes(app: FastifyInstance, options: TenantRouteOptions): void {
  const { store, publicUrl, authenticator } = options;
  const now = options.provisioning.now;

  app.get("/tenants/:slug/tokens", async (request): Promise<TokenSummary[]> => (await listClientTokens(store, await tenantOf(store, request))).map(presentToken));

  app.post("/tenants/:slug/tokens", { config: { audit: "scim_token.created" } }, async (request, reply) => {
    const issued = await issueClientToken(store, actorOf(request), slugOf(request), stringField(jsonObjectBody(request), "clientName"), now());
    return reply.code(201).send(presentCreatedToken(issued, issued.tenant, publicUrl()));
  });

  app.delete("/tenants/:slug/tokens/:id", { config: { audit: "scim_token.revoked" } }, async (request, reply) => {
    await revokeClientToken(store, authenticator, actorOf(request), slugOf(request), pathParameter(request, "id"), now());
    return reply.code(204).send();
  });
}
