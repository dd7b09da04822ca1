import type { Config } from "../config.js";
import { openLogDestination } from "../http/log-destination.js";
import { buildServer, type ClusterServices, type MusterServer } from "../http/server.js";
import { loadSecretKeyring } from "../secrets/load-secret-keyring.js";
import type { Store } from "../store/store.js";
import { publicUrlOf } from "./store-access.js";

/** A server listening on its port until a signal stops it. */
export interface RunningServer {
  readonly server: MusterServer;
  /** e.g. http://127.0.0.1:8080 */
  readonly address: string;
  /** The public base URL, known once listening (port 0). */
  readonly publicUrl: string;
  /** Closes `close` too when stopping, before the HTTP server (a metrics listener). */
  closeWithServer(close: () => Promise<void>): void;
}

/**
 * Builds the HTTP server on an open store (with the outbound engine unless MUSTER_OUTBOUND=off) and
 * listens; on SIGTERM or SIGINT (or `stopOn`'s event) it finishes in-flight requests, stops the engine,
 * closes the store and exits the process: 0, or 1 when shutting down failed.
 */
export async function runServer(config: Config, store: Store, options: { readonly cluster?: ClusterServices; readonly say: (line: string) => void; readonly stopOn?: (stop: (why: string) => void) => void }): Promise<RunningServer> {
  const { say } = options;
  // With --port 0 the public URL is only known after listening; the server reads it through this holder.
  let publicUrl = publicUrlOf(config);
  // The key that encrypts outbound apps' tokens: a bad one stops the start before anything listens.
  const keyring = await loadSecretKeyring(config).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
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
    cluster: options.cluster,
    outbound: { keyring, allowPrivateAddresses: config.appsAllowPrivate, engine: config.outbound, changeRetentionDays: config.changeRetentionDays },
  });
  // Handle signals before anything is announced, so a stop during start-up is a clean one too.
  let stopping = false;
  const closeFirst: (() => Promise<void>)[] = [];
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    say(`${why}: finishing in-flight requests and closing the database…`);
    try {
      for (const close of closeFirst) await close();
      await server.close();
      await store.close();
      process.exit(0);
    } catch (error) {
      say(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  };
  // `on`, not `once`: a service manager may send SIGTERM to every process of the group, and the primary
  // of several workers forwards it once more; a second one must not cut the drain short.
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
  options.stopOn?.((why) => void stop(why));
  const address = await server.app.listen({ host: config.host, port: config.port });
  publicUrl = publicUrlOf(config, Number(new URL(address).port));
  return { server, address, publicUrl, closeWithServer: (close) => closeFirst.push(close) };
}
