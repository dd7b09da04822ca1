import { performance } from "node:perf_hooks";
import { scimError, type ScimError } from "../scim/errors.js";
import type { Store, TenantRecord, TokenRecord } from "../store/store.js";
import { digestsEqual, hashSecret, parseToken } from "./tokens.js";

/** Who is calling: the tenant whose base URL was used and the token that proved it. */
export interface Principal {
  readonly tenant: TenantRecord;
  readonly token: TokenRecord;
}

/**
 * The outcome of checking a request's token. A rejection carries what was recognised, for the
 * activity log only (the client always gets the same 401): the tenant of the URL when it exists, and
 * the presented token when its secret matched (a real Muster token, revoked or of another tenant).
 */
export type AuthVerdict =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly error: ScimError; readonly tenant?: TenantRecord; readonly token?: TokenRecord };

/** Timing of the authenticator's caches. */
export interface AuthenticatorOptions {
  /** How long a found token or tenant is reused; also the bound on how late a revocation takes effect. */
  readonly cacheMillis: number;
  /** How often last-used times are written (one write for all tokens used meanwhile). */
  readonly flushMillis: number;
  /** Told about each write of last-used times (the server's metrics). */
  readonly observer?: LastUsedObserver;
  /** Told when a revocation through this process emptied the caches; resolves once the other workers of `serve --workers` have emptied theirs. */
  readonly onInvalidate?: () => Promise<void>;
}

/** What the authenticator reports about writing last-used times. */
export interface LastUsedObserver {
  /** The last-used times of `tokens` tokens were written in one transaction that took `seconds`. */
  written(tokens: number, seconds: number): void;
  /** Writing them failed; those times are lost (the next use records a newer one). */
  failed(tokens: number): void;
}

interface Cached<T> {
  readonly value: T;
  readonly at: number;
}

const maxCacheEntries = 10_000;
const unusedDigest = "0".repeat(64);
const challenge = { "WWW-Authenticate": 'Bearer realm="muster"' };

/**
 * Checks SCIM bearer tokens against the tenant in the URL. Accepts `Bearer <t>`, `bearer <t>` and a
 * bare `<t>` (OKT-01). Secrets are compared as SHA-256 digests in constant time. Token and tenant
 * rows that exist are cached for `cacheMillis` (a missing one is looked up again); last-used times are kept in memory and written every
 * `flushMillis`, so a request never waits for a write.
 */
export class TokenAuthenticator {
  private readonly store: Store;
  private readonly options: AuthenticatorOptions;
  private readonly tokens = new Map<string, Cached<TokenRecord>>();
  private readonly tenants = new Map<string, Cached<TenantRecord>>();
  private pendingUses = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(store: Store, options: AuthenticatorOptions) {
    this.store = store;
    this.options = options;
  }

  /** Resolves the principal or throws a 401 ScimError that does not say which part was wrong. */
  async authenticate(tenantSlug: string, authorization: string | undefined): Promise<Principal> {
    const verdict = await this.verify(tenantSlug, authorization);
    if (!verdict.ok) throw verdict.error;
    return verdict.principal;
  }

  /** As authenticate, but a rejection is returned with what was recognised (see AuthVerdict) instead of thrown. */
  async verify(tenantSlug: string, authorization: string | undefined): Promise<AuthVerdict> {
    const presented = bearerToken(authorization);
    const tenantLookup = this.cached(this.tenants, tenantSlug, () => this.store.read((s) => s.tenants.bySlug(tenantSlug)));
    if (presented === undefined) {
      return { ok: false, error: unauthorized("The Authorization header is missing; send 'Authorization: Bearer <token>'."), ...known(await tenantLookup, undefined) };
    }
    const parsed = parseToken(presented);
    const [tenant, token] = await Promise.all([
      tenantLookup,
      parsed ? this.cached(this.tokens, parsed.id, () => this.store.read((s) => s.tokens.get(parsed.id))) : Promise.resolve(undefined),
    ]);
    // Always compare a digest, so an unknown token id costs the same as a wrong secret.
    const matches = digestsEqual(hashSecret(parsed?.secret ?? presented), token?.secretHash ?? unusedDigest);
    if (!parsed || !token || !tenant || !matches || token.revoked !== undefined || token.tenantId !== tenant.id) {
      const error = unauthorized(`The bearer token is not valid for tenant "${tenantSlug}" (unknown, revoked or issued for another tenant).`);
      return { ok: false, error, ...known(tenant, matches ? token : undefined) };
    }
    this.pendingUses.set(token.id, new Date().toISOString());
    return { ok: true, principal: { tenant, token } };
  }

  /** Starts the periodic write of last-used times. */
  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(() => undefined), this.options.flushMillis);
    this.timer.unref();
  }

  /** Writes pending last-used times now (also called on shutdown). */
  async flush(): Promise<void> {
    if (this.pendingUses.size === 0) return;
    const uses = this.pendingUses;
    this.pendingUses = new Map();
    const start = performance.now();
    try {
      await this.store.write((session) => session.tokens.recordUse(uses));
    } catch (error) {
      this.options.observer?.failed(uses.size);
      throw error;
    }
    this.options.observer?.written(uses.size, (performance.now() - start) / 1000);
  }

  /** Stops the timer and writes what is pending. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /**
   * Forgets cached rows after a revocation through this process (resolving once the other workers have
   * too), or, with `fromPeer`, through another worker.
   */
  async invalidate(fromPeer = false): Promise<void> {
    this.tokens.clear();
    this.tenants.clear();
    if (!fromPeer) await this.options.onInvalidate?.();
  }

  private async cached<T>(cache: Map<string, Cached<T>>, key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < this.options.cacheMillis) return hit.value;
    const value = await load();
    // Only rows that exist are cached: a tenant or token created through another node a moment after this
    // node was asked for it must work at once (an identity provider's Test Connection right after setup).
    if (value === undefined) return undefined;
    if (cache.size >= maxCacheEntries) cache.clear();
    cache.set(key, { value, at: now });
    return value;
  }
}

/** Extracts the token from `Bearer <t>` (scheme case-insensitive) or a bare `<t>`. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (trimmed === "") return undefined;
  const match = /^bearer\s+(\S+)$/i.exec(trimmed);
  // Anything else (a bare token, or another scheme) is checked as a token and fails if it is not one.
  return match ? match[1] : trimmed;
}

function known(tenant: TenantRecord | undefined, token: TokenRecord | undefined): { tenant?: TenantRecord; token?: TokenRecord } {
  return { ...(tenant ? { tenant } : {}), ...(token ? { token } : {}) };
}

function unauthorized(detail: string): ScimError {
  return scimError("unauthorized", detail, challenge);
}
