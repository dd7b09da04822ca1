import cluster from "node:cluster";
import { ensureDefaultTenant } from "../admin/tenants.js";
import { answerMetricRequests, clusterMetricsSource, clusterRegistry, metricsFromPrimary } from "../cluster/cluster-metrics.js";
import { IpcChannel, primaryEndpoint } from "../cluster/ipc-channel.js";
import { RateLimitLedger } from "../cluster/rate-limit-ledger.js";
import { WorkerSupervisor, type SupervisorEnd } from "../cluster/worker-supervisor.js";
import type { Config } from "../config.js";
import { startMetricsListener, type MetricsListener } from "../http/metrics-routes.js";
import type { RateLimitLease, RateLimitLeaseRequest } from "../http/rate-limit.js";
import { EventLoopDelay, HealthHistory, healthMetricNames, type LoopDelay } from "../observability/health-history.js";
import type { NodeHealth } from "../../shared/admin-api.js";
import { loadSecretKeyring } from "../secrets/load-secret-keyring.js";
import { runServer } from "./run-server.js";
import { announceStart } from "./serve-announcements.js";
import { openConfiguredStore, publicUrlOf } from "./store-access.js";

/**
 * The primary of `muster serve --workers N`: does the one-time work (migrations, the default tenant,
 * the announcements and setup link, printed once), forks the workers (node:cluster: they share the
 * listening port, the primary hands them connections in turn), keeps what must be counted for all of
 * them (rate limits, the console's health history) and serves the metrics listener with their summed
 * metrics. It holds no database connection while serving. SIGTERM/SIGINT stop every worker (each
 * drains its requests and closes its connections); the primary exits after the last one.
 */
export async function serveWithWorkers(config: Config): Promise<void> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  // Read (or on first start create) the secret key before forking, so every worker loads the one file.
  await loadSecretKeyring(config);
  const { store, applied } = await openConfiguredStore(config);
  if (applied.length > 0) say(`Applied database migrations: ${applied.join(", ")}.`);
  const created = await ensureDefaultTenant(store);
  const ledger = new RateLimitLedger(config.workers);
  const supervisor: WorkerSupervisor = new WorkerSupervisor({
    workers: config.workers,
    say,
    connect: (channel) => {
      channel.handle("rate-limit-lease", (request: RateLimitLeaseRequest): RateLimitLease => ledger.lease(request));
      channel.handle("metrics-text", async () => (await clusterRegistry(supervisor.channels())).metrics());
      channel.handle("node-health", (): NodeHealth => health.snapshot());
      // A token revoked through one worker stops working on all of them at once, as on a single process.
      channel.handle("auth-invalidated", async () => {
        await Promise.allSettled(supervisor.channels().flatMap((other) => (other === channel ? [] : [other.request("invalidate-auth")])));
      });
    },
  });
  const health = new HealthHistory({
    registry: () => clusterRegistry(supervisor.channels(), healthMetricNames),
    loopDelay: () => worstLoopDelay(supervisor),
    workers: config.workers,
    database: store.dialect,
  });
  let metricsListener: MetricsListener | undefined;
  const finish = async (end: SupervisorEnd) => {
    if (end.reason === "stopped") say(end.clean ? "All workers have stopped." : "All workers have stopped; some failed to shut down cleanly (see above).");
    await health.stop();
    ledger.close();
    await metricsListener?.close();
    await store.close();
    process.exit(end.reason === "stopped" && end.clean ? 0 : 1);
  };
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping the ${supervisor.running()} workers (each finishes its in-flight requests and closes the database)…`);
    void supervisor.stop("SIGTERM");
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  void supervisor.done().then(finish);

  let address: string;
  try {
    address = await supervisor.start();
  } catch {
    return; // the supervisor said why; finish() exits once every worker has gone
  }
  const publicUrl = publicUrlOf(config, Number(new URL(address).port));
  health.start();
  if (config.metricsPort !== undefined) {
    metricsListener = await startMetricsListener(clusterMetricsSource(() => supervisor.channels()), { host: config.metricsHost, port: config.metricsPort, token: config.metricsToken });
  }
  await announceStart({ config, store, address, publicUrl, created: created !== undefined, metricsListener, workers: config.workers }, say);
  // Serving is the workers' work: the primary keeps no connection (on PostgreSQL, no pool of its own).
  await store.close();
}

/** The event-loop delay of the slowest worker since the previous sample. */
async function worstLoopDelay(supervisor: WorkerSupervisor): Promise<LoopDelay> {
  const answers = await Promise.allSettled(supervisor.channels().map((channel) => channel.request<LoopDelay>("loop-delay")));
  const delays = answers.flatMap((answer) => (answer.status === "fulfilled" ? [answer.value] : []));
  return { p99: Math.max(0, ...delays.map((delay) => delay.p99)), max: Math.max(0, ...delays.map((delay) => delay.max)) };
}

/**
 * One worker of `muster serve --workers N`: opens its own connections to the database (the primary has
 * migrated it), serves the shared port, and asks the primary for what all workers share: rate-limit
 * leases, the summed /metrics and the health history. It stops like a single server on SIGTERM/SIGINT,
 * and when the primary is gone.
 */
export async function serveAsWorker(config: Config): Promise<void> {
  const name = `worker ${process.env.MUSTER_WORKER_INDEX ?? cluster.worker?.id}`;
  const say = (line: string) => process.stderr.write(`[${name}] ${line}\n`);
  const channel = new IpcChannel(primaryEndpoint());
  const loop = new EventLoopDelay();
  loop.enable();
  channel.handle("loop-delay", () => loop.take());
  const { store } = await openConfiguredStore(config).catch(failed(say));
  const running = await runServer(config, store, {
    say,
    cluster: {
      rateLimit: { workers: config.workers, leases: (request) => channel.request<RateLimitLease>("rate-limit-lease", request) },
      metrics: metricsFromPrimary(channel),
      nodeHealth: () => channel.request<NodeHealth>("node-health"),
      // The revocation's answer waits for this, so no worker serves the token after it (the primary gone: nothing to tell).
      authInvalidated: () => channel.request<void>("auth-invalidated").catch(() => undefined),
    },
    stopOn: (stop) => process.once("disconnect", () => stop("The primary process has gone")),
  }).catch(failed(say));
  answerMetricRequests(channel, running.server.metrics.exposed);
  channel.handle("invalidate-auth", () => running.server.authenticator.invalidate(true));
  await channel.request("listening", { address: running.address }).catch(() => undefined);
}

/** A worker that cannot start says why and exits: its open IPC pipe would otherwise keep it alive, and the primary waiting. */
function failed(say: (line: string) => void): (error: unknown) => never {
  return (error) => {
    say(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  };
}
