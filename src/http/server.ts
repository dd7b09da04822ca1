import { randomBytes, randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import type { DestinationStream, LoggerOptions } from "pino";
import type { NodeHealth } from "../../shared/admin-api.js";
import { ActivityRecorder } from "../admin/activity-recorder.js";
import { AuditRetention } from "../admin/audit-retention.js";
import { HealthHistory } from "../observability/health-history.js";
import { OutboundEngine, type OutboundEngineOptions } from "../outbound/engine/outbound-engine.js";
import { ServerMetrics } from "../observability/server-metrics.js";
import { TokenAuthenticator } from "../provisioning/authenticator.js";
import type { ProvisioningContext } from "../provisioning/context.js";
import type { SecretKeyring } from "../secrets/secret-keyring.js";
import { CursorCodec } from "../scim/cursor.js";
import { protocolLimits } from "../scim/limits.js";
import { registry as defaultRegistry, type SchemaRegistry } from "../scim/schema/registry.js";
import type { Store } from "../store/store.js";
import { adminApiPlugin } from "./admin-api/admin-api-plugin.js";
import { builtConsoleRoot, registerConsole } from "./console-static.js";
import { registerErrorHandling } from "./error-handler.js";
import { registerJsonBodies } from "./media-types.js";
import { registerMetricsRoute, type MetricsSource } from "./metrics-routes.js";
import type { SharedRateLimit } from "./rate-limit.js";
import { registerRequestMetrics } from "./request-metrics.js";
import { RequestLog } from "./request-log.js";
import { registerHealthRoute } from "./routes/health.js";
import { scimBaseUrl } from "./scim-base-url.js";
import { scimPlugin } from "./scim-plugin.js";

export { scimBaseUrl };

/** Everything the HTTP server is built from. */
export interface ServerOptions {
  readonly store: Store;
  /**
   * Public base URL without trailing slash; SCIM base URLs are `${publicUrl}/scim/v2/{tenant}`.
   * A function when it is only known after listening (port 0).
   */
  readonly publicUrl: string | (() => string);
  /** pino options and where lines go (default: standard output, written synchronously), or false for no logging (tests). */
  readonly logger: (LoggerOptions & { readonly stream?: DestinationStream }) | false;
  readonly registry?: SchemaRegistry;
  /** Bound on how long a revoked token keeps working on this node (default 5 s). */
  readonly authCacheMillis?: number;
  /** How often last-used times are written (default 1 s: the console shows a Test Connection at once). */
  readonly lastUsedFlushMillis?: number;
  /** SCIM requests per minute per token; 0 or absent turns rate limiting off (the CLI passes the configured value). */
  readonly rateLimitPerMinute?: number;
  /** Hours an admin session lasts without use (default 12). */
  readonly sessionIdleHours?: number;
  /** Days of SCIM activity kept (default 30). */
  readonly activityRetentionDays?: number;
  /** Days of admin audit events kept (default 365). */
  readonly auditRetentionDays?: number;
  /** Proxies to believe about client address and protocol (Fastify trustProxy; default none). */
  readonly trustProxy?: boolean | number | string[];
  /** The clock of use cases (tests move it to expire sessions); default the system clock. */
  readonly now?: () => Date;
  /** Serves GET /metrics on this server's port to requests bearing this token (MUSTER_METRICS_TOKEN); without it that route does not exist. */
  readonly metricsToken?: string | undefined;
  /** How many tenants get their own label in the SCIM metrics (default 50). */
  readonly metricsTenantLabels?: number;
  /** How often the console's health history samples the metrics (default 10 s). */
  readonly healthSampleMillis?: number;
  /** Set in a worker of `muster serve --workers`: what the workers keep in the primary, for all of them. */
  readonly cluster?: ClusterServices | undefined;
  /** Outbound apps; without it the app routes that need the secret key fail and no engine runs. */
  readonly outbound?: ServerOutbound | undefined;
}

/** What outbound provisioning runs with on this server. */
export interface ServerOutbound {
  /** The key that encrypts targets' tokens (loaded once at start: src/secrets). */
  readonly keyring: SecretKeyring;
  /** MUSTER_APPS_ALLOW_PRIVATE: targets at loopback, private and link-local addresses (and plain http there) are allowed. */
  readonly allowPrivateAddresses: boolean;
  /** Run the engine in this process (MUSTER_OUTBOUND); processes and nodes share apps through leases. Default: no engine. */
  readonly engine?: boolean | Pick<OutboundEngineOptions, "leaseMs" | "scanMs" | "runner">;
  /** Days the change feed keeps a change (default 30); provisioning logs are kept as long as the activity log. */
  readonly changeRetentionDays?: number;
}

/** State the workers of one server share through the primary (cli/serve-cluster.ts). */
export interface ClusterServices {
  /** Each token's rate limit counted across the workers. */
  readonly rateLimit: SharedRateLimit;
  /** What GET /metrics serves: every worker's metrics, summed. */
  readonly metrics: MetricsSource;
  /** GET /api/node/health: the primary's history, which samples all workers. */
  readonly nodeHealth: () => Promise<NodeHealth>;
  /** A revocation through this worker emptied its token cache: resolves once the other workers have emptied theirs. */
  readonly authInvalidated: () => Promise<void>;
}

/** A built server and the parts that need shutting down with it. */
export interface MusterServer {
  readonly app: FastifyInstance;
  readonly authenticator: TokenAuthenticator;
  /** Buffers SCIM activity; `flush()` writes it now (tests), `close()` writes it at shutdown. */
  readonly activity: ActivityRecorder;
  /** Deletes expired audit events hourly; `prune()` runs it now (tests). */
  readonly auditRetention: AuditRetention;
  /** This server's metrics (a separate metrics listener serves them too: http/metrics-routes.ts). */
  readonly metrics: ServerMetrics;
  /** The samples behind the console's Health page; `sample()` takes one now (tests). */
  readonly health: HealthHistory;
  /** The outbound engine of this process, when it runs one. */
  readonly outbound: OutboundEngine | undefined;
  /** Stops accepting requests, finishes in-flight ones, writes last-used times and buffered activity. Does not close the store. */
  close(): Promise<void>;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's trustProxy: a hop count becomes "trust the first n hops" (the typed form of that setting). */
function trustProxyOption(setting: boolean | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === "number" ? (_address: string, hop: number) => hop < setting : setting;
}

/** Builds the Fastify application: SCIM endpoints per tenant, the admin API, the console at /admin, /healthz, one error handler. */
export async function buildServer(options: ServerOptions): Promise<MusterServer> {
  const { store } = options;
  const registry = options.registry ?? defaultRegistry;
  const cursorKey = await store.write((session) => session.settings.setIfAbsent("cursor_key", randomBytes(32).toString("hex")));
  const provisioning: ProvisioningContext = { store, registry, cursors: new CursorCodec(Buffer.from(cursorKey, "hex")), now: options.now ?? (() => new Date()) };
  const metrics = new ServerMetrics({ store, tenantLabelLimit: options.metricsTenantLabels ?? 50 });
  const authenticator = new TokenAuthenticator(store, {
    cacheMillis: options.authCacheMillis ?? 5_000,
    flushMillis: options.lastUsedFlushMillis ?? 1_000,
    observer: metrics.lastUsed,
    ...(options.cluster ? { onInvalidate: options.cluster.authInvalidated } : {}),
  });

  const app = Fastify({
    logger: options.logger === false ? false : { ...options.logger, redact: { paths: ["req.headers.authorization", "headers.authorization"], censor: "[redacted]" } },
    bodyLimit: protocolLimits.maxBodyBytes,
    logController: new RequestLog(),
    trustProxy: trustProxyOption(options.trustProxy ?? false),
    // Requests that arrive on open connections while closing are still served: the store closes only after the server has.
    return503OnClosing: false,
    // A base URL pasted with a trailing slash makes IdPs request `…/acme//Users`: accept that too.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && requestIdPattern.test(given) ? given : randomUUID();
    },
  });
  // Before any route exists: every route gets its request series when it is registered.
  registerRequestMetrics(app, metrics.http);
  const activity = new ActivityRecorder(store, {
    retentionDays: options.activityRetentionDays ?? 30,
    now: provisioning.now,
    onError: (error, action) => app.log.warn({ err: error }, `writing SCIM activity failed (${action}); the next attempt retries`),
    observer: metrics.activity,
  });
  const auditRetention = new AuditRetention(store, {
    retentionDays: options.auditRetentionDays ?? 365,
    now: provisioning.now,
    onError: (error) => app.log.warn({ err: error }, "deleting expired audit events failed; the next hourly run retries"),
  });
  metrics.activity.watchBuffer(() => activity.pending);
  const health = new HealthHistory({ registry: metrics.exposed, database: store.dialect, intervalMillis: options.healthSampleMillis ?? 10_000 });
  app.decorateRequest("principal", null);
  app.decorateRequest("failure", null);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("X-Request-Id", request.id);
  });
  registerJsonBodies(app);
  registerErrorHandling(app);
  registerHealthRoute(app, store);
  if (options.metricsToken !== undefined) registerMetricsRoute(app, options.cluster?.metrics ?? metrics, options.metricsToken);
  const publicUrl = options.publicUrl;
  const baseUrlOf = (slug: string) => scimBaseUrl(typeof publicUrl === "string" ? publicUrl : publicUrl(), slug);
  await app.register(scimPlugin, {
    prefix: "/scim/v2/:tenant",
    provisioning,
    authenticator,
    baseUrlOf,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
    sharedRateLimit: options.cluster?.rateLimit,
    activity,
    metrics: metrics.scim,
  });
  const outbound = outboundEngineOf(app, store, options.outbound, options.activityRetentionDays ?? 30);
  await app.register(adminApiPlugin, {
    prefix: "/api",
    store,
    provisioning,
    authenticator,
    publicUrl: () => (typeof publicUrl === "string" ? publicUrl : publicUrl()),
    sessionIdleHours: options.sessionIdleHours ?? 12,
    activityRetentionDays: options.activityRetentionDays ?? 30,
    nodeHealth: options.cluster?.nodeHealth ?? (() => health.snapshot()),
    apps: options.outbound && { keyring: options.outbound.keyring, clients: { allowPrivateAddresses: options.outbound.allowPrivateAddresses }, wake: () => outbound?.wake() },
  });
  await registerConsole(app, { root: builtConsoleRoot() });
  authenticator.start();
  activity.start();
  auditRetention.start();
  outbound?.start();
  // A worker's own history would describe one worker: the primary samples them all instead.
  if (!options.cluster) health.start();

  return {
    app,
    authenticator,
    activity,
    auditRetention,
    metrics,
    health,
    outbound,
    async close() {
      // A keep-alive connection whose last response finished after closing began is idle but not closed
      // by Node, and app.close() would wait for it up to the keep-alive timeout: close such connections as they go idle.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
      // Before the store closes: each runner finishes its request and gives its lease up for another process.
      await outbound?.stop();
      await health.stop();
      try {
        await activity.stop();
      } finally {
        try {
          await auditRetention.stop();
          await authenticator.stop();
        } finally {
          metrics.close();
        }
      }
    },
  };
}

/** This process's outbound engine when asked for one (not started yet); its errors go to the server log (they never contain a token). */
function outboundEngineOf(app: FastifyInstance, store: Store, outbound: ServerOutbound | undefined, activityRetentionDays: number): OutboundEngine | undefined {
  if (!outbound?.engine) return undefined;
  const tuning = outbound.engine === true ? {} : outbound.engine;
  const engine = new OutboundEngine(store, outbound.keyring, {
    ...tuning,
    changeRetentionDays: outbound.changeRetentionDays,
    logRetentionDays: activityRetentionDays,
    clients: { allowPrivateAddresses: outbound.allowPrivateAddresses },
    onError: (error, appId) => app.log.error({ err: error, appId }, "outbound provisioning failed; the engine tries again"),
  });
  return engine;
}
