import type { FastifyInstance } from "fastify";
import type { TokenAuthenticator } from "../../provisioning/authenticator.js";
import type { ProvisioningContext } from "../../provisioning/context.js";
import type { Store } from "../../store/store.js";
import { apiProblem, sendProblem, toApiProblem } from "./api-problem.js";

/** What the admin API needs from the server. */
export interface AdminApiOptions {
  readonly store: Store;
  readonly provisioning: ProvisioningContext;
  /** To forget cached tokens at once when the console revokes one. */
  readonly authenticator: TokenAuthenticator;
  /** The public base URL (no trailing slash), for SCIM base URLs and setup links. */
  readonly publicUrl: () => string;
  /** Hours an admin session lasts without use. */
  readonly sessionIdleHours: number;
  /** Days of SCIM activity kept. */
  readonly activityRetentionDays: number;
}

/**
 * The admin API under /api (shared/admin-api.ts): JSON for the console and for scripts. Errors in this
 * scope are ApiError bodies, not SCIM errors. Public routes (sign-in, setup links, the OpenAPI
 * document) are registered first; everything else sits behind the admin-session hook.
 */
export async function adminApiPlugin(app: FastifyInstance, _options: AdminApiOptions): Promise<void> {
  app.setErrorHandler((error, request, reply) => {
    const problem = toApiProblem(error, request.id);
    if (problem.status >= 500) request.log.error({ err: error }, "admin API request failed");
    sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) => {
    sendProblem(reply, apiProblem("not_found", `There is no admin API endpoint at ${request.method} ${request.url.split("?")[0]}.`));
  });
}
