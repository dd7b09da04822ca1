import cluster from "node:cluster";
import type { Command } from "commander";
import { ensureDefaultTenant } from "../admin/tenants.js";
import { loadConfig, type Config, type ConfigFlags } from "../config.js";
import { startMetricsListener, type MetricsListener } from "../http/metrics-routes.js";
import { runServer } from "./run-server.js";
import { announceStart } from "./serve-announcements.js";
import { serveAsWorker, serveWithWorkers } from "./serve-cluster.js";
import { openConfiguredStore } from "./store-access.js";

/**
 * `muster serve`: runs the SCIM server until SIGTERM/SIGINT, then drains requests and closes the database;
 * with `--workers` above 1 in several processes sharing the port (serve-cluster.ts).
 */
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
    .option("--change-retention-days <n>", "days the change feed keeps a change for outbound apps (default: $MUSTER_CHANGE_RETENTION_DAYS or 30)")
    .option("--session-idle-hours <n>", "hours an admin session lasts without use (default: $MUSTER_SESSION_IDLE_HOURS or 12)")
    .option("--trust-proxy <value>", "proxies to believe for client address and protocol: false, true, hop count, or CIDRs (default: $MUSTER_TRUST_PROXY or false)")
    .option("--metrics-port <port>", "serve GET /metrics on a second listener on this port (default: $MUSTER_METRICS_PORT or none)")
    .option("--metrics-host <host>", "interface of the metrics listener (default: $MUSTER_METRICS_HOST or 127.0.0.1)")
    .option("--metrics-token <token>", "require this bearer token for /metrics and serve it on the main port too (prefer $MUSTER_METRICS_TOKEN: flags show in ps)")
    .option("--metrics-tenant-labels <n>", "tenants that get their own label in the SCIM metrics (default: $MUSTER_METRICS_TENANT_LABELS or 50)")
    .option("--workers <n>", "worker processes sharing the port, 1 for a single process (default: $MUSTER_WORKERS or one per core, at most 8)")
    .option("--migrate", "apply pending database migrations on start (default, unless $MUSTER_AUTO_MIGRATE=false)")
    .option("--no-migrate", "refuse to start on a database with pending migrations instead of applying them (run `muster migrate` first)")
    .action(async (options: Omit<ConfigFlags, "migrate"> & { migrate?: boolean }) => {
      await serve(loadConfig({ ...options, migrate: options.migrate === undefined ? undefined : String(options.migrate) }));
    });
}

async function serve(config: Config): Promise<void> {
  if (cluster.isWorker) return serveAsWorker(config);
  if (config.workers > 1) return serveWithWorkers(config);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const { store, applied } = await openConfiguredStore(config);
  if (applied.length > 0) say(`Applied database migrations: ${applied.join(", ")}.`);
  const created = await ensureDefaultTenant(store);
  const running = await runServer(config, store, { say });
  let metricsListener: MetricsListener | undefined;
  if (config.metricsPort !== undefined) {
    metricsListener = await startMetricsListener(running.server.metrics, { host: config.metricsHost, port: config.metricsPort, token: config.metricsToken });
    running.closeWithServer(() => metricsListener!.close());
  }
  await announceStart({ config, store, address: running.address, publicUrl: running.publicUrl, created: created !== undefined, metricsListener, workers: 1 }, say);
}
