import type { Command } from "commander";
import { systemActor } from "../admin/audit-trail.js";
import { createSetupLink, setupLinkUrl } from "../admin/setup-links.js";
import { ensureDefaultTenant } from "../admin/tenants.js";
import { loadConfig, type Config, type ConfigFlags } from "../config.js";
import { openLogDestination } from "../http/log-destination.js";
import { startMetricsListener, type MetricsListener } from "../http/metrics-routes.js";
import { buildServer, scimBaseUrl } from "../http/server.js";
import type { Store } from "../store/store.js";
import { databaseLabel } from "./database-label.js";
import { openConfiguredStore, publicUrlOf } from "./store-access.js";

/** `muster serve`: runs the SCIM server until SIGTERM/SIGINT, then drains requests and closes the database. */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("run the SCIM server")
    .option("--host <host>", "interface to listen on (default: $MUSTER_HOST or 127.0.0.1)")
    .option("--port <port>", "port (default: $MUSTER_PORT or 8080; 0 picks a free port)")
    .option("--db <url>", "database URL (default: $MUSTER_DATABASE_URL or sqlite:./data/muster.db)")
    .option("--public-url <url>", "public base URL used in meta.location (default: $MUSTER_PUBLIC_URL or http://host:port)")
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (default: $MUSTER_LOG_LEVEL or info)")
    .option("--rate-limit <n>", "SCIM requests per minute per token, 0 for no limit (default: $MUSTER_RATE_LIMIT or 6000)")
    .option("--activity-retention-days <n>", "days of SCIM activity kept for the console (default: $MUSTER_ACTIVITY_RETENTION_DAYS or 30)")
    .option("--audit-retention-days <n>", "days the admin audit log keeps events (default: $MUSTER_AUDIT_RETENTION_DAYS or 365)")
    .option("--session-idle-hours <n>", "hours an admin session lasts without use (default: $MUSTER_SESSION_IDLE_HOURS or 12)")
    .option("--trust-proxy <value>", "proxies to believe for client address and protocol: false, true, hop count, or CIDRs (default: $MUSTER_TRUST_PROXY or false)")
    .option("--metrics-port <port>", "serve GET /metrics on a second listener on this port (default: $MUSTER_METRICS_PORT or none)")
    .option("--metrics-host <host>", "interface of the metrics listener (default: $MUSTER_METRICS_HOST or 127.0.0.1)")
    .option("--metrics-token <token>", "require this bearer token for /metrics and serve it on the main port too (prefer $MUSTER_METRICS_TOKEN: flags show in ps)")
    .option("--metrics-tenant-labels <n>", "tenants that get their own label in the SCIM metrics (default: $MUSTER_METRICS_TENANT_LABELS or 50)")
    .option("--migrate", "apply pending database migrations on start (default, unless $MUSTER_AUTO_MIGRATE=false)")
    .option("--no-migrate", "refuse to start on a database with pending migrations instead of applying them (run `muster migrate` first)")
    .action(async (options: Omit<ConfigFlags, "migrate"> & { migrate?: boolean }) => {
      await serve(loadConfig({ ...options, migrate: options.migrate === undefined ? undefined : String(options.migrate) }));
    });
}

async function serve(config: Config): Promise<void> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const { store, applied } = await openConfiguredStore(config);
  if (applied.length > 0) say(`Applied database migrations: ${applied.join(", ")}.`);
  const created = await ensureDefaultTenant(store);
  // With --port 0 the public URL is only known after listening; the server reads it through this holder.
  let publicUrl = publicUrlOf(config);
  const log = openLogDestination();
  const server = await buildServer({
    store,
    publicUrl: () => publicUrl,
    logger: { level: config.logLevel, stream: log.stream },
    rateLimitPerMinute: config.rateLimitPerMinute,
    sessionIdleHours: config.sessionIdleHours,
    activityRetentionDays: config.activityRetentionDays,
    auditRetentionDays: config.auditRetentionDays,
    trustProxy: config.trustProxy,
    metricsToken: config.metricsToken,
    metricsTenantLabels: config.metricsTenantLabels,
  });
  // Handle signals before anything is announced, so a stop during start-up is a clean one too.
  let stopping = false;
  let metricsListener: MetricsListener | undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: finishing in-flight requests and closing the database…`);
    try {
      await metricsListener?.close();
      await server.close();
      await store.close();
      log.flushSync();
      process.exit(0);
    } catch (error) {
      say(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
  const address = await server.app.listen({ host: config.host, port: config.port });
  const port = Number(new URL(address).port);
  publicUrl = publicUrlOf(config, port);
  if (config.metricsPort !== undefined) {
    metricsListener = await startMetricsListener(server.metrics, { host: config.metricsHost, port: config.metricsPort, token: config.metricsToken });
  }

  const tenants = await store.read((session) => session.tenants.list());
  say(`Muster is listening on ${address} (database ${databaseLabel(config.databaseUrl)}).`);
  announceMetrics(config, address, metricsListener, say);
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
