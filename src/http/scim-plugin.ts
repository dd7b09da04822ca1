import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ActivityRecorder } from "../admin/activity-recorder.js";
import type { ScimMetrics } from "../observability/scim-metrics.js";
import { scimError } from "../scim/errors.js";
import type { AuthVerdict, TokenAuthenticator } from "../provisioning/authenticator.js";
import type { ProvisioningContext } from "../provisioning/context.js";
import { registerRateLimit, type SharedRateLimit } from "./rate-limit.js";
import { registerBulkRoute } from "./routes/bulk.js";
import { registerDiscoveryRoutes } from "./routes/discovery.js";
import { registerResourceRoutes } from "./routes/resources.js";
import { registerRootSearchRoute } from "./routes/search.js";
import { activityResourceOf, addressedTenant, pathUnderBase, scimActivityOf, scimOperationOf } from "./scim-activity.js";

/** What the SCIM endpoints of all tenants need. */
export interface ScimPluginOptions {
  readonly provisioning: ProvisioningContext;
  readonly authenticator: TokenAuthenticator;
  readonly baseUrlOf: (tenantSlug: string) => string;
  /** Requests per minute per token; 0 turns rate limiting off. */
  readonly rateLimitPerMinute: number;
  /** In a worker of several: the limit is counted for all workers together. */
  readonly sharedRateLimit?: SharedRateLimit | undefined;
  /** Where every request of an existing tenant is recorded for the console's Activity page. */
  readonly activity: ActivityRecorder;
  /** Where every request, of existing tenants or not, is counted (by resource, operation, outcome, tenant). */
  readonly metrics: ScimMetrics;
}

/**
 * The SCIM service provider under /scim/v2/{tenant}: every request must carry a bearer token of that
 * tenant (checked before the body is read), is counted against that token's rate limit, then goes to
 * resources, search, bulk or discovery. Every request of an existing tenant, 401s included, is
 * recorded for the Activity page when its response is done; every request is counted in the SCIM
 * metrics with the resource and path of that same classification.
 */
export async function scimPlugin(app: FastifyInstance, options: ScimPluginOptions): Promise<void> {
  const { provisioning, authenticator, baseUrlOf, rateLimitPerMinute, activity, metrics } = options;
  const rejections = new WeakMap<FastifyRequest, AuthVerdict>();
  app.addHook("onRequest", async (request) => {
    // Slugs are lower case; an admin who types the tenant in capitals still reaches it.
    const tenant = ((request.params as { tenant?: string }).tenant ?? "").toLowerCase();
    const verdict = await authenticator.verify(tenant, request.headers.authorization);
    if (!verdict.ok) {
      rejections.set(request, verdict);
      throw verdict.error;
    }
    request.principal = verdict.principal;
  });
  app.addHook("onResponse", async (request, reply) => {
    const rejection = rejections.get(request);
    const event = scimActivityOf(request, reply, rejection);
    if (event) activity.record(event);
    // The metrics reuse the entry's classification; requests to unknown tenants have none, so classify their path the same way.
    const path = event?.path ?? pathUnderBase(request.url);
    const resource = event?.resource ?? activityResourceOf(path);
    const errorCode = event ? event.errorCode : (request.failure?.code ?? null);
    metrics.observe(addressedTenant(request, rejection), resource, scimOperationOf(request.method, resource, path), reply.statusCode, errorCode);
  });
  await registerRateLimit(app, rateLimitPerMinute, (request) => metrics.rateLimited(request.principal?.tenant), options.sharedRateLimit);
  for (const schema of provisioning.registry.resourceTypes) registerResourceRoutes(app, schema, { provisioning, baseUrlOf });
  registerRootSearchRoute(app, provisioning, baseUrlOf);
  registerBulkRoute(app, provisioning, baseUrlOf);
  registerDiscoveryRoutes(app, provisioning.registry, baseUrlOf);
  // RFC 7644 §3.11: /Me is optional; without a mapping from token to User, say so with 501.
  for (const url of ["/Me", "/Me/*"]) {
    app.all(url, async () => {
      throw scimError("notImplemented", "/Me is not supported: Muster's tokens belong to provisioning clients, not to users.");
    });
  }
}
