import type { FastifyInstance, FastifyRequest } from "fastify";
import type { App, ConnectionReport, ProvisionResult } from "../../../shared/admin-api.js";
import { createApp } from "../../outbound/apps/create-app.js";
import { deleteApp } from "../../outbound/apps/delete-app.js";
import type { AppsContext } from "../../outbound/apps/apps-context.js";
import { getApp, listApps, overviewOf } from "../../outbound/apps/read-apps.js";
import { provisionOnDemand } from "../../outbound/apps/provision-on-demand.js";
import { restartApp, setProvisioning } from "../../outbound/apps/app-switches.js";
import { testAppConnection, testUnsavedConnection } from "../../outbound/apps/test-app-connection.js";
import { updateApp } from "../../outbound/apps/update-app.js";
import type { ClientSettings } from "../../outbound/engine/app-runtime.js";
import type { ProvisioningContext } from "../../provisioning/context.js";
import type { SecretKeyring } from "../../secrets/secret-keyring.js";
import type { AppRecord } from "../../store/outbound.js";
import type { Store } from "../../store/store.js";
import { apiProblem } from "./api-problem.js";
import { presentApp, presentConnectionReport, presentProvisionResult } from "./present-app.js";
import { actorOf } from "./request-actor.js";
import { jsonObjectBody, pathParameter } from "./request-input.js";
import { slugOf } from "./tenants-routes.js";

/** What outbound apps need from the server: the key that encrypts targets' tokens and how clients connect. */
export interface AppServices {
  readonly keyring: SecretKeyring;
  readonly clients: ClientSettings;
  /** Wakes this process's engine after an admin changed an app, so the change takes effect now rather than at the runner's next look. */
  readonly wake?: () => void;
}

/** What the app routes need. */
export interface AppRouteOptions {
  readonly store: Store;
  readonly provisioning: ProvisioningContext;
  /** Absent on a server built without a secret key (some tests): routes that need the key then fail with 500. */
  readonly apps?: AppServices | undefined;
}

/** The use cases' context for a request; a server built without a secret key has none (500). */
export function appsContextOf(options: AppRouteOptions): AppsContext {
  if (!options.apps) throw new Error("This server was built without a secret key for outbound apps.");
  return { store: options.store, keyring: options.apps.keyring, clients: options.apps.clients, now: options.provisioning.now };
}

/** The app id in the path. */
export function appIdOf(request: FastifyRequest): string {
  return pathParameter(request, "id");
}

/** An optional boolean member of a body; 400 `invalid` naming it when it is something else. */
function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw apiProblem("invalid", `"${field}" must be true or false.`, { field });
  return value;
}

/** An optional `version` member of a body: a whole number from 1. */
function optionalVersion(body: Record<string, unknown>): number | undefined {
  const value = body["version"];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw apiProblem("invalid", '"version" must be the whole number the app was read at.', { field: "version" });
  return value;
}

/**
 * shared/admin-api.ts "outbound apps": list, create, read, change, delete, Test Connection (saved and
 * unsaved), pause, resume, restart and provision on demand. The target's token is accepted, never returned.
 */
export function registerAppRoutes(app: FastifyInstance, options: AppRouteOptions): void {
  const { store } = options;
  const now = options.provisioning.now;
  const context = () => appsContextOf(options);
  const storeOnly = { store, now };
  const overview = async (record: AppRecord): Promise<App> => presentApp(await overviewOf(store, record, now()));
  // After a change the engine must see: read the answer first, so it shows the app as the change left it.
  const changed = async (record: AppRecord): Promise<App> => {
    const answer = await overview(record);
    options.apps?.wake?.();
    return answer;
  };

  app.get("/tenants/:slug/apps", async (request): Promise<App[]> => (await listApps(store, slugOf(request), now())).map(presentApp));

  app.post("/tenants/:slug/apps", { config: { audit: "app.created" } }, async (request, reply) => {
    const { token, testConnection, ...settings } = jsonObjectBody(request);
    const tested = optionalBoolean({ testConnection }, "testConnection");
    const created = await createApp(context(), actorOf(request), slugOf(request), { settings, token, ...(tested === undefined ? {} : { testConnection: tested }) });
    return reply.code(201).send(await changed(created));
  });

  app.post("/tenants/:slug/apps/test", { config: { audit: "app.tested" } }, async (request): Promise<ConnectionReport> => {
    const body = jsonObjectBody(request);
    const report = await testUnsavedConnection(context(), actorOf(request), slugOf(request), { baseUrl: body["baseUrl"], token: body["token"], ...(body["matching"] === undefined ? {} : { matching: body["matching"] }) });
    return presentConnectionReport(report);
  });

  app.get("/tenants/:slug/apps/:id", async (request): Promise<App> => presentApp(await getApp(store, slugOf(request), appIdOf(request), now())));

  app.patch("/tenants/:slug/apps/:id", { config: { audit: "app.updated" } }, async (request): Promise<App> => {
    const { token, version, ...patch } = jsonObjectBody(request);
    const expected = optionalVersion({ version });
    const updated = await updateApp(context(), actorOf(request), slugOf(request), appIdOf(request), { patch, ...(token === undefined ? {} : { token }), ...(expected === undefined ? {} : { version: expected }) });
    return changed(updated);
  });

  app.delete("/tenants/:slug/apps/:id", { config: { audit: "app.deleted" } }, async (request, reply) => {
    const body = request.body === undefined || request.body === null ? {} : jsonObjectBody(request);
    await deleteApp(storeOnly, actorOf(request), slugOf(request), appIdOf(request), optionalVersion(body));
    return reply.code(204).send();
  });

  app.post("/tenants/:slug/apps/:id/test", { config: { audit: "app.tested" } }, async (request): Promise<ConnectionReport> =>
    presentConnectionReport(await testAppConnection(context(), actorOf(request), slugOf(request), appIdOf(request))),
  );

  app.post("/tenants/:slug/apps/:id/pause", { config: { audit: "app.provisioning_off" } }, async (request): Promise<App> =>
    changed(await setProvisioning(storeOnly, actorOf(request), slugOf(request), appIdOf(request), "off")),
  );

  app.post("/tenants/:slug/apps/:id/resume", { config: { audit: "app.provisioning_on" } }, async (request): Promise<App> =>
    changed(await setProvisioning(storeOnly, actorOf(request), slugOf(request), appIdOf(request), "on")),
  );

  app.post("/tenants/:slug/apps/:id/restart", { config: { audit: "app.restarted" } }, async (request): Promise<App> =>
    changed(await restartApp(storeOnly, actorOf(request), slugOf(request), appIdOf(request))),
  );

  app.post("/tenants/:slug/apps/:id/provision", { config: { audit: "app.provisioned" } }, async (request): Promise<ProvisionResult> => {
    const body = jsonObjectBody(request);
    const type = body["type"];
    if (type !== "User" && type !== "Group") throw apiProblem("invalid", '"type" must be "User" or "Group".', { field: "type" });
    const id = body["id"];
    if (typeof id !== "string") throw apiProblem("invalid", '"id" is required and must be a string.', { field: "id" });
    const dryRun = optionalBoolean(body, "dryRun") ?? false;
    return presentProvisionResult(await provisionOnDemand(context(), actorOf(request), slugOf(request), appIdOf(request), { type, id, dryRun }));
  });
}
