import type { FastifyInstance } from "fastify";
import type { GroupDetail, GroupRow, MemberRow, Page, UserDetail, UserRow } from "../../../shared/admin-api.js";
import { getGroup, getUser, listGroups, listMembers, listUsers, parseMemberQuery } from "../../admin/directory.js";
import { parseDirectoryQuery } from "../../admin/directory-query.js";
import type { ProvisioningContext } from "../../provisioning/context.js";
import { scimBaseUrl } from "../scim-base-url.js";
import { presentGroupDetail, presentUserDetail } from "./present-directory.js";
import { pathParameter, queryOf, valueOrThrow } from "./request-input.js";
import { tenantOf } from "./tenants-routes.js";

/** What the directory routes need. */
export interface DirectoryRouteOptions {
  readonly provisioning: ProvisioningContext;
  readonly publicUrl: () => string;
}

/** shared/admin-api.ts "users and groups": read-only views of a tenant's SCIM directory. */
export function registerDirectoryRoutes(app: FastifyInstance, options: DirectoryRouteOptions): void {
  const { provisioning: ctx, publicUrl } = options;
  const users = ctx.registry.forType("User");
  const groups = ctx.registry.forType("Group");

  app.get("/tenants/:slug/users", async (request): Promise<Page<UserRow>> => {
    const tenant = await tenantOf(ctx.store, request);
    return listUsers(ctx, tenant, valueOrThrow(parseDirectoryQuery(ctx, tenant, users, queryOf(request))));
  });

  app.get("/tenants/:slug/users/:id", async (request): Promise<UserDetail> => {
    const tenant = await tenantOf(ctx.store, request);
    return presentUserDetail(await getUser(ctx, tenant, pathParameter(request, "id")), users, scimBaseUrl(publicUrl(), tenant.slug));
  });

  app.get("/tenants/:slug/groups", async (request): Promise<Page<GroupRow>> => {
    const tenant = await tenantOf(ctx.store, request);
    return listGroups(ctx, tenant, valueOrThrow(parseDirectoryQuery(ctx, tenant, groups, queryOf(request))));
  });

  app.get("/tenants/:slug/groups/:id", async (request): Promise<GroupDetail> => {
    const tenant = await tenantOf(ctx.store, request);
    return presentGroupDetail(await getGroup(ctx, tenant, pathParameter(request, "id")), groups, scimBaseUrl(publicUrl(), tenant.slug));
  });

  app.get("/tenants/:slug/groups/:id/members", async (request): Promise<Page<MemberRow>> => {
    const tenant = await tenantOf(ctx.store, request);
    const groupId = pathParameter(request, "id");
    return listMembers(ctx, tenant, groupId, valueOrThrow(parseMemberQuery(ctx, tenant, groupId, queryOf(request))));
  });
}
