import fastifyCookie from "@fastify/cookie";
import type { FastifyInstance } from "fastify";
import type { NodeHealth } from "../../../shared/admin-api.js";
import type { AdminContext } from "../../admin/admin-context.js";
import type { TokenAuthenticator } from "../../provisioning/authenticator.js";
import type { ProvisioningContext } from "../../provisioning/context.js";
import type { Store } from "../../store/store.js";
import { registerActivityRoutes } from "./activity-routes.js";
import { registerAppLogRoutes } from "./app-log-routes.js";
import { registerAppRoutes, type AppServices } from "./apps-routes.js";
import { apiProblem, sendProblem, toApiProblem } from "./api-problem.js";
import { registerAuditRoutes } from "./audit-routes.js";
import { registerDirectoryRoutes } from "./directory-routes.js";
import { registerNodeHealthRoutes } from "./node-health-routes.js";
import { openApiDocument } from "./openapi.js";
import { recordRefusal } from "./record-refusal.js";
import { checkOrigin, requireAdmin } from "./require-admin.js";
import { registerPublicSessionRoutes, registerSessionRoutes } from "./session-routes.js";
import { registerStatsRoutes } from "./stats-routes.js";
import { registerTenantRoutes } from "./tenants-routes.js";
import { registerTokenRoutes } from "./tokens-routes.js";

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
  /** This node's recent health samples (observability/health-history.ts). */
  readonly nodeHealth: () => NodeHealth | Promise<NodeHealth>;
  /** Outbound apps' secret key and client settings; without them the app routes that need the key fail. */
  readonly apps?: AppServices | undefined;
}

/**
 * The admin API under /api (shared/admin-api.ts): JSON for the console and for scripts. Errors in this
 * scope are ApiError bodies, not SCIM errors. Public routes (sign-in, setup links, the OpenAPI
 * document) are registered first; everything else sits behind the admin-session hook.
 */
export async function adminApiPlugin(app: FastifyInstance, options: AdminApiOptions): Promise<void> {
  app.setErrorHandler(async (error, request, reply) => {
    const problem = toApiProblem(error, request.id);
    if (problem.status >= 500) request.log.error({ err: error }, "admin API request failed");
    try {
      await recordRefusal(options.store, request, error, problem, options.provisioning.now());
    } catch (auditError) {
      request.log.error({ err: auditError }, "recording a refused admin API request in the audit log failed");
    }
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) => {
    sendProblem(reply, apiProblem("not_found", `There is no admin API endpoint at ${request.method} ${request.url.split("?")[0]}.`));
  });
  // Cookies are parsed only in this scope: SCIM requests never carry or need one.
  await app.register(fastifyCookie);
  app.decorateRequest("admin", null);
  app.addHook("onRequest", async (_request, reply) => {
    // Answers carry sessions, CSRF tokens and directory data: no cache may keep them.
    reply.header("Cache-Control", "no-store");
  });
  app.addHook("onRequest", checkOrigin(options.publicUrl));

  const sessions = { context: adminContextOf(options), publicUrl: options.publicUrl };
  registerPublicSessionRoutes(app, sessions);
  app.get("/openapi.json", async () => openApiDocument(options.publicUrl()));
  await protectedRoutes(app, options, (scope) => {
    registerSessionRoutes(scope, sessions);
    registerTenantRoutes(scope, options);
    registerTokenRoutes(scope, options);
    registerDirectoryRoutes(scope, options);
    registerActivityRoutes(scope, options);
    registerStatsRoutes(scope, options);
    registerAuditRoutes(scope, options);
    registerNodeHealthRoutes(scope, options);
    registerAppRoutes(scope, options);
    registerAppLogRoutes(scope, options);
    // Add the console's other routes here: every route registered on `scope` needs a signed-in admin.
  });
}

/**
 * Registers routes that only a signed-in admin may call: `register` receives a child scope of the
 * admin API whose every request passes `requireAdmin` first (session cookie → 401 `unauthenticated`;
 * on POST/PUT/PATCH/DELETE also X-CSRF-Token → 403 `csrf`). Inside, `adminOf(request)` is the admin.
 */
export async function protectedRoutes(app: FastifyInstance, options: AdminApiOptions, register: (scope: FastifyInstance) => void | Promise<void>): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook("onRequest", requireAdmin(adminContextOf(options), options.publicUrl));
    await register(scope);
  });
}

/** The admin use cases' context from the plugin options: the provisioning clock, so tests can move time. */
export function adminContextOf(options: AdminApiOptions): AdminContext {
  return { store: options.store, now: options.provisioning.now, sessionIdleHours: options.sessionIdleHours };
}
