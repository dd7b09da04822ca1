import type { FastifyInstance } from "fastify";
import type { TenantStats } from "../../../shared/admin-api.js";
import { tenantStats } from "../../admin/stats.js";
import type { ProvisioningContext } from "../../provisioning/context.js";
import { tenantOf } from "./tenants-routes.js";

/** GET /api/tenants/{slug}/stats: the Overview numbers. */
export function registerStatsRoutes(app: FastifyInstance, options: { readonly provisioning: ProvisioningContext; readonly activityRetentionDays: number }): void {
  const ctx = options.provisioning;
  app.get("/tenants/:slug/stats", async (request): Promise<TenantStats> => tenantStats(ctx, await tenantOf(ctx.store, request), options.activityRetentionDays));
}
