import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Tenant } from "../../../shared/admin-api.js";
import { createTenant, deleteTenant, findTenant, listTenants, renameTenant } from "../../admin/tenants.js";
import type { TokenAuthenticator } from "../../provisioning/authenticator.js";
import type { Store, TenantRecord } from "../../store/store.js";
import { presentTenant } from "./present-tenant.js";
import { actorOf } from "./request-actor.js";
import { jsonObjectBody, pathParameter, stringField } from "./request-input.js";

/** What the tenant-scoped routes need. */
export interface TenantRouteOptions {
  readonly store: Store;
  /** The public base URL (no trailing slash). */
  readonly publicUrl: () => string;
  /** Forgets cached tenants and tokens when a tenant is deleted or a token revoked. */
  readonly authenticator: TokenAuthenticator;
  /** The clock of the use cases (tests move it). */
  readonly provisioning: { readonly now: () => Date };
}

/** The slug in the path, as stored (slugs are lower case; one typed in capitals still finds its tenant). */
export function slugOf(request: FastifyRequest): string {
  return pathParameter(request, "slug").toLowerCase();
}

/** The tenant a /tenants/{slug}/… request is about, or 404 `not_found`. */
export function tenantOf(store: Store, request: FastifyRequest): Promise<TenantRecord> {
  return findTenant(store, slugOf(request));
}

/** shared/admin-api.ts "tenants": list, read, create, rename, delete with confirmation. */
export function registerTenantRoutes(app: FastifyInstance, options: TenantRouteOptions): void {
  const { store, publicUrl, authenticator } = options;
  const now = options.provisioning.now;

  app.get("/tenants", async (): Promise<Tenant[]> => (await listTenants(store)).map((tenant) => presentTenant(tenant, publicUrl())));

  app.post("/tenants", { config: { audit: "tenant.created" } }, async (request, reply) => {
    const body = jsonObjectBody(request);
    const tenant = await createTenant(store, actorOf(request), stringField(body, "slug"), stringField(body, "name", { optional: true }), now());
    return reply.code(201).send(presentTenant(tenant, publicUrl()));
  });

  app.get("/tenants/:slug", async (request): Promise<Tenant> => presentTenant(await tenantOf(store, request), publicUrl()));

  app.patch("/tenants/:slug", { config: { audit: "tenant.renamed" } }, async (request): Promise<Tenant> => {
    const body = jsonObjectBody(request);
    return presentTenant(await renameTenant(store, actorOf(request), slugOf(request), stringField(body, "name"), now()), publicUrl());
  });

  app.delete("/tenants/:slug", { config: { audit: "tenant.deleted" } }, async (request, reply) => {
    const body = jsonObjectBody(request);
    await deleteTenant(store, authenticator, actorOf(request), slugOf(request), stringField(body, "confirm"), now());
    return reply.code(204).send();
  });
}
