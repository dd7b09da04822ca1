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

/** A request waiting for the lease its worker is asking for. */
interface Waiting {
  readonly callback: (error: Error | null, hit?: Hit) => void;
  readonly timeWindow: number;
  readonly max: number;
}

/**
 * A @fastify/rate-limit store for one worker of several: it serves requests from leases taken from the
 * primary's count and asks for a new lease (one IPC round trip) only when its lease is spent, so the
 * workers together never exceed the limit. A worker asks for one lease of a key at a time; requests that
 * arrive meanwhile wait for it, so a worker never holds more than one lease of unused requests while
 * another worker is refused (at most `leaseSize` per worker near the limit). A refusal is remembered until
 * the window ends.
 */
function leasedStore(leases: RateLimitLeases, leaseSize: number) {
  return class LeasedRateLimitStore {
    private readonly held = new Map<string, Lease>();
    private readonly waiting = new Map<string, Waiting[]>();

    incr(key: string, callback: (error: Error | null, hit?: Hit) => void, timeWindow: number, max: number): void {
      if (this.serveFromLease(key, callback, max)) return;
      const queue = this.waiting.get(key);
      if (queue) {
        queue.push({ callback, timeWindow, max });
        return;
      }
      this.waiting.set(key, [{ callback, timeWindow, max }]);
      this.askForLease(key, timeWindow, max);
    }

    child(): LeasedRateLimitStore {
      return this;
    }

    /** Answers from the held lease (a request it covers, or the remembered refusal); false when only a new lease can tell. */
    private serveFromLease(key: string, callback: (error: Error | null, hit?: Hit) => void, max: number): boolean {
      const now = Date.now();
      const lease = this.held.get(key);
      if (!lease || lease.expires <= now) return false;
      if (lease.left > 0) {
        lease.left--;
        lease.current++;
      } else if (lease.current <= max) {
        return false;
      }
      callback(null, { current: lease.current, ttl: lease.expires - now });
      return true;
    }

    private askForLease(key: string, timeWindow: number, max: number): void {
      leases({ key, want: leaseSize, windowMillis: timeWindow, max }).then(
        ({ granted, used, ttlMillis }) => {
          if (this.held.size >= 100_000) this.forgetExpired();
          // `current` counts on from the window's requests before this lease; none granted: refused until the window ends.
          this.held.set(key, { expires: Date.now() + ttlMillis, left: granted, current: granted === 0 ? max + 1 : used - granted });
          const queue = this.waiting.get(key) ?? [];
          for (let index = 0; index < queue.length; index++) {
            const next = queue[index]!;
            if (this.serveFromLease(key, next.callback, next.max)) continue;
            // This lease is spent and requests still wait: ask for the next one for them.
            this.waiting.set(key, queue.slice(index));
            this.askForLease(key, next.timeWindow, next.max);
            return;
          }
          this.waiting.delete(key);
        },
        // The primary is gone (this worker is about to stop): serve rather than fail requests in flight.
        () => {
          const queue = this.waiting.get(key) ?? [];
          this.waiting.delete(key);
          for (const next of queue) next.callback(null, { current: 1, ttl: next.timeWindow });
        },
      );
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
