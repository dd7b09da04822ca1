import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { scimError } from "../scim/errors.js";

/**
 * Per-token rate limiting for the SCIM endpoints (ENT-71, OKT-25): at most `perMinute` requests per
 * token in a fixed one-minute window, counted on this node. Beyond it: 429, a SCIM error body and
 * `Retry-After` with the seconds until the window resets. Registered after authentication, so the
 * key is the token id; 0 turns limiting off. `onRejected` is told about every refused request (metrics).
 */
export async function registerRateLimit(app: FastifyInstance, perMinute: number, onRejected: (request: FastifyRequest) => void = () => undefined): Promise<void> {
  if (perMinute <= 0) return;
  await app.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    hook: "onRequest",
    cache: 100_000,
    keyGenerator: (request) => request.principal?.token.id ?? request.ip,
    onExceeded: (request) => onRejected(request),
    addHeadersOnExceeding: { "x-ratelimit-limit": true, "x-ratelimit-remaining": true, "x-ratelimit-reset": true },
    addHeaders: { "x-ratelimit-limit": true, "x-ratelimit-remaining": true, "x-ratelimit-reset": true, "retry-after": true },
    errorResponseBuilder: (_request, context) =>
      scimError(
        "tooManyRequests",
        `This token sent more than ${context.max} requests in a minute; retry in ${context.after}. The limit is set with MUSTER_RATE_LIMIT.`,
        { "Retry-After": String(Math.max(1, Math.ceil(context.ttl / 1000))) },
      ),
  });
}
