import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { scimError } from "../scim/errors.js";

/** A worker's request for requests it may serve of one key's window (`muster serve --workers`). */
export interface RateLimitLeaseRequest {
  readonly key: string;
  readonly want: number;
  readonly windowMillis: number;
  readonly max: number;
}

/** Requests granted (0: the limit is used up), the window's count after the grant, and the time left in the window. */
export interface RateLimitLease {
  readonly granted: number;
  readonly used: number;
  readonly ttlMillis: number;
}

/** Where the workers of one server take their leases from (the primary's RateLimitLedger). */
export type RateLimitLeases = (request: RateLimitLeaseRequest) => Promise<RateLimitLease>;

/** The state of @fastify/rate-limit's store interface: the request's number in the window and the milliseconds left. */
interface Hit {
  readonly current: number;
  readonly ttl: number;
}

interface Lease {
  readonly expires: number;
  left: number;
  current: number;
}

/**
 * A @fastify/rate-limit store for one worker of several: it serves requests from leases taken from the
 * primary's count and asks for a new lease (one IPC round trip) only when its lease is spent, so the
 * workers together never exceed the limit. A refusal is remembered until the window ends.
 */
function leasedStore(leases: RateLimitLeases, leaseSize: number) {
  return class LeasedRateLimitStore {
    private readonly held = new Map<string, Lease>();

    incr(key: string, callback: (error: Error | null, hit?: Hit) => void, timeWindow: number, max: number): void {
      const now = Date.now();
      const lease = this.held.get(key);
      if (lease && lease.expires > now) {
        if (lease.left > 0) {
          lease.left--;
          lease.current++;
          callback(null, { current: lease.current, ttl: lease.expires - now });
          return;
        }
        if (lease.current > max) {
          callback(null, { current: lease.current, ttl: lease.expires - now });
          return;
        }
      }
      leases({ key, want: leaseSize, windowMillis: timeWindow, max }).then(
        ({ granted, used, ttlMillis }) => {
          if (this.held.size >= 100_000) this.forgetExpired();
          // Requests that asked at the same time each got a lease: what is left of the others still counts.
          const now = Date.now();
          const other = this.held.get(key);
          const spare = other && other.expires > now && other.current <= max ? other.left : 0;
          if (granted === 0 && spare > 0) {
            other!.left--;
            other!.current++;
            callback(null, { current: other!.current, ttl: other!.expires - now });
            return;
          }
          const current = granted === 0 ? max + 1 : used - granted + 1;
          this.held.set(key, { expires: now + ttlMillis, left: Math.max(0, granted - 1) + spare, current });
          callback(null, { current, ttl: ttlMillis });
        },
        // The primary is gone (this worker is about to stop): serve rather than fail requests in flight.
        () => callback(null, { current: 1, ttl: timeWindow }),
      );
    }

    child(): LeasedRateLimitStore {
      return this;
    }

    private forgetExpired(): void {
      const now = Date.now();
      for (const [key, lease] of this.held) if (lease.expires <= now) this.held.delete(key);
    }
  };
}

/** How the workers of one server share the limit: where leases come from and how many workers there are. */
export interface SharedRateLimit {
  readonly leases: RateLimitLeases;
  readonly workers: number;
}

/**
 * Per-token rate limiting for the SCIM endpoints (ENT-71, OKT-25): at most `perMinute` requests per
 * token in a fixed one-minute window, counted on this node (with `shared`, across all its workers).
 * Beyond it: 429, a SCIM error body and `Retry-After` with the seconds until the window resets.
 * Registered after authentication, so the key is the token id; 0 turns limiting off. `onRejected` is told
 * about every refused request (metrics).
 */
export async function registerRateLimit(app: FastifyInstance, perMinute: number, onRejected: (request: FastifyRequest) => void = () => undefined, shared?: SharedRateLimit): Promise<void> {
  if (perMinute <= 0) return;
  // A lease of about 1/20 of a worker's share, at most 50: one IPC round trip per lease, not per request.
  const leaseSize = shared && Math.max(1, Math.min(50, Math.floor(perMinute / (20 * shared.workers))));
  await app.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    hook: "onRequest",
    cache: 100_000,
    ...(shared && leaseSize ? { store: leasedStore(shared.leases, leaseSize) } : {}),
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
