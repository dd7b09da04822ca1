import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { digestsEqual, hashSecret } from "../provisioning/tokens.js";

const challenge = 'Bearer realm="muster-metrics"';

/** What /metrics serves: one server's metrics (ServerMetrics), or those of all workers of one (cluster/cluster-metrics.ts). */
export interface MetricsSource {
  readonly contentType: string;
  exposition(): Promise<string>;
}

/** Who may read /metrics: anyone who reaches the route, or only requests bearing the token. */
export interface MetricsAccess {
  /** Required as `Authorization: Bearer <token>` when set. */
  readonly token?: string | undefined;
}

/**
 * The handler of GET /metrics: the Prometheus exposition of this server, or 401 without the token
 * when one is configured. The token is compared as a SHA-256 digest in constant time and never logged.
 */
function metricsHandler(metrics: MetricsSource, access: MetricsAccess) {
  const expected = access.token === undefined ? undefined : hashSecret(access.token);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header("Cache-Control", "no-store");
    if (expected) {
      const presented = /^Bearer +(\S+)\s*$/i.exec(request.headers.authorization ?? "")?.[1];
      if (presented === undefined || !digestsEqual(hashSecret(presented), expected)) {
        return reply.code(401).header("WWW-Authenticate", challenge).type("text/plain; charset=utf-8").send("Send the metrics token as 'Authorization: Bearer <MUSTER_METRICS_TOKEN>'.\n");
      }
    }
    return reply.type(metrics.contentType).send(await metrics.exposition());
  };
}

/** GET /metrics on the main port, behind the metrics token (without a token the route is not registered: 404). */
export function registerMetricsRoute(app: FastifyInstance, metrics: MetricsSource, token: string): void {
  app.get("/metrics", metricsHandler(metrics, { token }));
}

/** A running metrics listener. */
export interface MetricsListener {
  /** e.g. http://127.0.0.1:9464 */
  readonly address: string;
  close(): Promise<void>;
}

/**
 * Starts a second HTTP listener that serves only GET /metrics (MUSTER_METRICS_PORT) on `host`, which
 * defaults to the loopback interface so that metrics are never open to a network by accident. When a
 * token is configured it is required here too.
 */
export async function startMetricsListener(metrics: MetricsSource, options: MetricsAccess & { readonly host: string; readonly port: number }): Promise<MetricsListener> {
  const app = Fastify({ logger: false });
  app.get("/metrics", metricsHandler(metrics, options));
  const address = await app.listen({ host: options.host, port: options.port });
  return { address, close: () => app.close() };
}
