import { systemActor } from "../admin/audit-trail.js";
import { createSetupLink, setupLinkUrl } from "../admin/setup-links.js";
import type { Config } from "../config.js";
import type { MetricsListener } from "../http/metrics-routes.js";
import { scimBaseUrl } from "../http/server.js";
import type { Store } from "../store/store.js";
import { databaseLabel } from "./database-label.js";

/** What `muster serve` tells the operator once it listens. */
export interface StartFacts {
  readonly config: Config;
  readonly store: Store;
  /** The listening address, e.g. http://127.0.0.1:8080. */
  readonly address: string;
  readonly publicUrl: string;
  /** The default tenant was created on this start. */
  readonly created: boolean;
  readonly metricsListener: MetricsListener | undefined;
  /** Worker processes serving the port (1: this process). */
  readonly workers: number;
}

/** Prints where Muster listens, its tenants' SCIM base URLs, /metrics, and the console or a first-admin setup link. */
export async function announceStart(facts: StartFacts, say: (line: string) => void): Promise<void> {
  const { config, store, address, publicUrl, created } = facts;
  const tenants = await store.read((session) => session.tenants.list());
  const workers = facts.workers > 1 ? `, ${facts.workers} worker processes` : "";
  say(`Muster is listening on ${address} (database ${databaseLabel(config.databaseUrl)}${workers}).`);
  announceMetrics(config, address, facts.metricsListener, say);
  if (created) say(`Created tenant "default" on this empty database.`);
  for (const tenant of tenants.slice(0, 10)) say(`SCIM base URL of tenant "${tenant.slug}": ${scimBaseUrl(publicUrl, tenant.slug)}`);
  if (tenants.length > 10) say(`…and ${tenants.length - 10} more tenants ('muster tenants list').`);
  if (created) say(`Create a token for your identity provider on the tenant's SCIM Integration page in the admin console, or:\n  npx muster tokens create --tenant default --client "Azure AD SCIM"`);
  await announceConsole(store, publicUrl, say);
}

/** Says where /metrics is served and with what protection; warns when a network interface serves it without a token. */
function announceMetrics(config: Config, address: string, listener: MetricsListener | undefined, say: (line: string) => void): void {
  if (listener) {
    say(`Metrics: ${listener.address}/metrics${config.metricsToken ? " (bearer token required)" : ""}.`);
    const loopback = /^(127\.|localhost$|::1$|\[::1\]$)/.test(config.metricsHost);
    if (!loopback && !config.metricsToken) say(`Warning: the metrics listener on ${config.metricsHost} has no token; anyone who reaches port ${new URL(listener.address).port} can read the metrics (set MUSTER_METRICS_TOKEN).`);
  }
  if (config.metricsToken) say(`Metrics: ${address}/metrics (bearer token required).`);
}

/**
 * Prints where the console is, or, on an installation without admins, a one-time link where the first
 * admin chooses email and password. Links are stored only as hashes, so an earlier one cannot be shown
 * again: each start prints a new one until an admin exists (then every first-admin link stops working).
 */
async function announceConsole(store: Store, publicUrl: string, say: (line: string) => void): Promise<void> {
  if ((await store.read((session) => session.admins.count())) > 0) {
    say(`Admin console: ${publicUrl}/admin`);
    return;
  }
  const { secret, record } = await createSetupLink(store, systemActor("first start"), null);
  say(`No admin account exists yet. Open this one-time link to create the first one (valid until ${record.expires}):`);
  say(`  ${setupLinkUrl(publicUrl, secret)}`);
  say("A new link is printed at every start until an admin exists. From a script: npx muster admins create <email> --password-stdin");
}
