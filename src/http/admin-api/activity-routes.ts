import type { FastifyInstance } from "fastify";
import type { ActivityEntry, Page } from "../../../shared/admin-api.js";
import { listActivity, parseActivityQuery } from "../../admin/activity.js";
import type { ProvisioningContext } from "../../provisioning/context.js";
import { presentActivity } from "./present-directory.js";
import { queryOf, valueOrThrow } from "./request-input.js";
import { tenantOf } from "./tenants-routes.js";

/** GET /api/tenants/{slug}/activity: the tenant's SCIM requests, newest first, filtered by outcome, token and resource. */
export function registerActivityRoutes(app: FastifyInstance, options: { readonly provisioning: ProvisioningContext }): void {
  const ctx = options.provisioning;
  app.get("/tenants/:slug/activity", async (request): Promise<Page<ActivityEntry>> => {
    const tenant = await tenantOf(ctx.store, request);
    const page = await listActivity(ctx, tenant, valueOrThrow(parseActivityQuery(ctx, tenant, queryOf(request))));
    return { items: page.records.map(presentActivity), total: page.total, nextCursor: page.nextCursor };
  });
}
