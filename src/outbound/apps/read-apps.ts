import { findTenant } from "../../admin/tenants.js";
import type { AppStatus } from "../../../shared/admin-api.js";
import type { AppRecord } from "../../store/outbound.js";
import type { Store } from "../../store/store.js";
import type { AppSettings } from "../settings/app-settings-schema.js";
import { readTenantApp, settingsOfApp } from "./app-access.js";
import { readAppStatus } from "./app-status.js";

/** An app with its complete settings and its statistics: what the admin API and `muster apps list` show. */
export interface AppOverview {
  readonly app: AppRecord;
  readonly settings: AppSettings;
  readonly status: AppStatus;
}

/** The overview of one stored app, read in one transaction. */
export async function overviewOf(store: Store, app: AppRecord, now: Date): Promise<AppOverview> {
  return { app, settings: settingsOfApp(app), status: await store.read((session) => readAppStatus(session, app, now)) };
}

/** Every app of the tenant with this slug, by creation, each with its statistics; `not_found` for an unknown tenant. */
export async function listApps(store: Store, slug: string, now: Date = new Date()): Promise<AppOverview[]> {
  const tenant = await findTenant(store, slug);
  const apps = await store.read((session) => session.outbound.listApps(tenant.id));
  const overviews: AppOverview[] = [];
  for (const app of apps) overviews.push(await overviewOf(store, app, now));
  return overviews;
}

/** One app of the tenant with this slug; `not_found` when the tenant or the app (in this tenant) does not exist. */
export async function getApp(store: Store, slug: string, appId: string, now: Date = new Date()): Promise<AppOverview> {
  return store.read(async (session) => {
    const { app } = await readTenantApp(session, slug, appId);
    return { app, settings: settingsOfApp(app), status: await readAppStatus(session, app, now) };
  });
}
