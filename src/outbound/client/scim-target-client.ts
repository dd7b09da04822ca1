import { setTimeout as sleepFor } from "node:timers/promises";
import { AdaptiveLimiter } from "./adaptive-limiter.js";
import { systemResolver, type ResolvedAddress, type Resolver } from "./address-guard.js";
import { classifyAnswer, type Answer } from "./classify-answer.js";
import { equalityFilter, filterAttribute } from "./equality-filter.js";
import { findMismatch } from "./find-mismatch.js";
import { isPatchTooLarge, memberChanges, memberOperations, type MemberRemoveStyle, type PatchOperation } from "./member-operations.js";
import { musterUserAgent } from "./muster-user-agent.js";
import { parseTargetBaseUrl } from "./parse-target-base-url.js";
import { invalid, readJsonObject, readListResponse, readOptionalResource, readResource, type BodyContext, type ListAnswer, type ScimResource } from "./read-scim-body.js";
import type { Exchange, RequestRecord } from "./request-record.js";
import { decideRetry, defaultRetryPolicy, type RetryPolicy } from "./retry-policy.js";
import { TargetError } from "./target-error.js";
import { targetText } from "./target-text.js";
import { TargetTransport } from "./target-transport.js";

/** The resource endpoints the engine writes to. */
export type ResourceEndpoint = "Users" | "Groups";

/** Settings of one app's client; every one but baseUrl and token has a default. */
export interface ScimTargetClientOptions {
  /** The target's SCIM base URL, e.g. `https://app.example.com/scim/v2` (checked by parseTargetBaseUrl). */
  readonly baseUrl: string;
  /** The bearer token; sent only in the Authorization header, redacted from every error and record. */
  readonly token: string;
  /** Deadline of one exchange, from sending to the last byte of the answer (default 30,000 ms). */
  readonly timeoutMs?: number;
  /** Largest answer body read (default 8 MiB); a larger one fails as `invalidResponse`. */
  readonly maxResponseBytes?: number;
  /** Largest answer body read by readMembers, whose answers hold whole member lists (default 64 MiB). */
  readonly maxMembersResponseBytes?: number;
  /** Allow loopback, private, link-local and other internal addresses (default false: refused). */
  readonly allowPrivateAddresses?: boolean;
  /** Requests in flight at most (default 4, 1..64); ignored when `limiter` is given. */
  readonly maxConcurrency?: number;
  /** A limiter shared with other clients of the same app; by default the client makes its own. */
  readonly limiter?: AdaptiveLimiter;
  /** Retries inside one call (defaults: 3 attempts, 500 ms base, 30 s cap, Retry-After waited up to 60 s). */
  readonly retry?: Partial<RetryPolicy>;
  /** Member changes per PATCH at first (default 100); lowered when the target refuses a size. */
  readonly memberChangesPerPatch?: number;
  /** How member removals are written (default `valueFilter`, RFC 7644's form). */
  readonly memberRemoveStyle?: MemberRemoveStyle;
  /** Sent as User-Agent (default `Muster/<version>`). */
  readonly userAgent?: string;
  /** Called after every exchange (each attempt), for provisioning logs. Must not throw. */
  readonly onExchange?: (exchange: Exchange) => void;
  /** Host name resolution (default: the system resolver); tests point names at chosen addresses. */
  readonly resolve?: Resolver;
  /** Waits between attempts (default: a timer); tests may record instead. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform random numbers in [0, 1) for backoff jitter (default Math.random). */
  readonly random?: () => number;
}

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call (waits included); the call rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Options of create. */
export interface CreateOptions extends CallOptions {
  /**
   * Retry the POST even after it may have reached the target (timeouts, resets, 5xx). Only safe when the
   * caller matches before creating, so a duplicate is found rather than made. Default false: a POST is
   * retried only when it certainly never arrived or the target throttled it.
   */
  readonly retryAfterSend?: boolean;
}

/** Options of findResources. */
export interface FindOptions extends CallOptions {
  /** Page size asked for (default 2: enough to see that a match is not unique). */
  readonly count?: number;
  /** Attributes left out of the answer (default `members` for Groups: a lookup needs no member list). */
  readonly excludedAttributes?: readonly string[];
}

/** What a call returns: its value, and the request records for the provisioning log (one per HTTP request made). */
export interface ClientResult<T> {
  readonly value: T;
  readonly records: readonly RequestRecord[];
}

/** What patchMembers did. */
export interface MemberPatchOutcome {
  /** The member changes per PATCH now in force; persist it when `lowered`. */
  readonly changesPerPatch: number;
  readonly lowered: boolean;
  /** PATCH requests that succeeded. */
  readonly requests: number;
}

/** What readMembers found. */
export interface MemberReadout {
  /** Target ids of the members (empty when the attribute was absent). */
  readonly members: readonly string[];
  /**
   * Whether the answer had a `members` attribute. SCIM omits empty multi-valued attributes, so absence
   * means "no members" or "this target does not return members" (AWS): when Muster believes the group
   * has members, absence means the membership cannot be verified.
   */
  readonly membersReturned: boolean;
}

/** One request as the call loop sends it. */
interface CallSpec<T> {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly path: string;
  readonly body?: unknown;
  readonly repeatable: boolean;
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  /** Statuses other than 2xx that are answers rather than failures (404 on DELETE). */
  readonly acceptStatuses?: readonly number[];
  readonly read: (answer: Answer, context: BodyContext) => T;
}

const scimJson = "application/scim+json";
const exchangeTextLimit = 4096;

/**
 * A careful HTTP client for one app's target SCIM API (RFC 7644): bearer token, timeouts, size limits,
 * no redirects, private addresses refused, every failure a classified TargetError, throttled and
 * transient failures retried with backoff honouring Retry-After, adaptive concurrency, and a request
 * record per call for the provisioning log. The engine's operations are its methods.
 */
export class ScimTargetClient {
  readonly baseUrl: URL;
  readonly limiter: AdaptiveLimiter;
  readonly retryPolicy: RetryPolicy;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxMembersResponseBytes: number;
  readonly memberRemoveStyle: MemberRemoveStyle;
  readonly #token: string;
  readonly #transport: TargetTransport;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #onExchange: ((exchange: Exchange) => void) | undefined;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  #memberChangesPerPatch: number;

  constructor(options: ScimTargetClientOptions) {
    const base = parseTargetBaseUrl(options.baseUrl);
    if (!base.ok) throw new RangeError(base.error);
    if (options.token === "" || /[\r\n]/.test(options.token)) throw new RangeError("The Secret Token must be a non-empty single line.");
    this.baseUrl = base.value;
    this.#token = options.token;
    this.timeoutMs = positive(options.timeoutMs ?? 30_000, "timeoutMs");
    this.maxResponseBytes = positive(options.maxResponseBytes ?? 8 * 1024 * 1024, "maxResponseBytes");
    this.maxMembersResponseBytes = positive(options.maxMembersResponseBytes ?? 64 * 1024 * 1024, "maxMembersResponseBytes");
    this.#memberChangesPerPatch = positive(options.memberChangesPerPatch ?? 100, "memberChangesPerPatch");
    this.memberRemoveStyle = options.memberRemoveStyle ?? "valueFilter";
    this.retryPolicy = { ...defaultRetryPolicy, ...options.retry };
    positive(this.retryPolicy.maxAttempts, "retry.maxAttempts");
    this.limiter = options.limiter ?? new AdaptiveLimiter({ maxConcurrency: options.maxConcurrency ?? 4 });
    this.#transport = new TargetTransport(this.baseUrl, {
      allowPrivateAddresses: options.allowPrivateAddresses ?? false,
      resolve: options.resolve ?? systemResolver,
      secrets: [this.#token],
    });
    this.#headers = {
      authorization: `Bearer ${this.#token}`,
      accept: `${scimJson}, application/json;q=0.9`,
      "user-agent": options.userAgent ?? musterUserAgent(),
    };
    this.#onExchange = options.onExchange;
    this.#sleep = options.sleep ?? ((ms, signal) => sleepFor(ms, undefined, signal ? { signal } : undefined));
    this.#random = options.random ?? Math.random;
  }

  /** Member changes per PATCH now in force (starts at the option, lowered when the target refuses a size). */
  get memberChangesPerPatch(): number {
    return this.#memberChangesPerPatch;
  }

  /** The addresses the latest connection went to, for Test Connection. */
  get connectedAddresses(): readonly ResolvedAddress[] {
    return this.#transport.lastAddresses;
  }

  /** GET /ServiceProviderConfig (RFC 7644 §4): the raw document. A target without one fails as `notFound`. */
  getServiceProviderConfig(options: CallOptions = {}): Promise<ClientResult<Record<string, unknown>>> {
    return this.#call({ method: "GET", path: "/ServiceProviderConfig", repeatable: true, signal: options.signal, read: readJsonObject });
  }

  /** GET /{endpoint}/{id}. A 404 fails as `notFound`. */
  getResource(endpoint: ResourceEndpoint, id: string, options: CallOptions = {}): Promise<ClientResult<ScimResource>> {
    return this.#call({ method: "GET", path: objectPath(endpoint, id), repeatable: true, signal: options.signal, read: readResource });
  }

  /**
   * GET /{endpoint}?filter=attribute eq "value": the matches (usually 0 or 1). The value is escaped as a
   * JSON string. Fails as `invalidResponse` when the answer is not a ListResponse, or when a returned
   * resource plainly has another value (code `filterIgnored`: adopting it would link the wrong object).
   */
  async findResources(endpoint: ResourceEndpoint, attribute: string, value: string, options: FindOptions = {}): Promise<ClientResult<ListAnswer>> {
    const attributePath = filterAttribute(attribute);
    const excluded = options.excludedAttributes ?? (endpoint === "Groups" ? ["members"] : []);
    const query = new URLSearchParams({ filter: equalityFilter(attribute, value), count: String(options.count ?? 2) });
    if (excluded.length > 0) query.set("excludedAttributes", excluded.join(","));
    const path = `/${endpoint}?${query.toString().replace(/\+/g, "%20")}`;
    return this.#call({
      method: "GET",
      path,
      repeatable: true,
      signal: options.signal,
      read: (answer, context) => {
        const list = readListResponse(answer, context);
        const mismatch = findMismatch(list.resources, attributePath, value);
        if (mismatch) {
          const summary = `ignored the filter: it returned ${endpoint} ${mismatch.resource.id} whose ${attribute} is "${targetText(mismatch.found, context.secrets, 80)}"`;
          throw invalid(context, answer.status, summary, undefined, "filterIgnored");
        }
        return list;
      },
    });
  }

  /** POST /{endpoint}: creates and returns the created resource (with the target's id). See CreateOptions for retries. */
  create(endpoint: ResourceEndpoint, body: Readonly<Record<string, unknown>>, options: CreateOptions = {}): Promise<ClientResult<ScimResource>> {
    return this.#call({ method: "POST", path: `/${endpoint}`, body, repeatable: options.retryAfterSend ?? false, signal: options.signal, read: readResource });
  }

  /** PUT /{endpoint}/{id}: replaces the resource; the answer's resource, or undefined when the target sends none. */
  replace(endpoint: ResourceEndpoint, id: string, body: Readonly<Record<string, unknown>>, options: CallOptions = {}): Promise<ClientResult<ScimResource | undefined>> {
    return this.#call({ method: "PUT", path: objectPath(endpoint, id), body, repeatable: true, signal: options.signal, read: readOptionalResource });
  }

  /** PATCH /{endpoint}/{id} with a PatchOp (RFC 7644 §3.5.2); the answer's resource, or undefined for 204. */
  patch(endpoint: ResourceEndpoint, id: string, operations: readonly PatchOperation[], options: CallOptions = {}): Promise<ClientResult<ScimResource | undefined>> {
    const body = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations };
    return this.#call({ method: "PATCH", path: objectPath(endpoint, id), body, repeatable: true, signal: options.signal, read: readOptionalResource });
  }

  /** DELETE /{endpoint}/{id}: `deleted`, or `alreadyGone` when the target answers 404 (the wanted end state). */
  delete(endpoint: ResourceEndpoint, id: string, options: CallOptions = {}): Promise<ClientResult<"deleted" | "alreadyGone">> {
    return this.#call({
      method: "DELETE",
      path: objectPath(endpoint, id),
      repeatable: true,
      signal: options.signal,
      acceptStatuses: [404],
      read: (answer) => (answer.status === 404 ? "alreadyGone" : "deleted"),
    });
  }

  /**
   * Adds and removes group members in PATCHes of at most `memberChangesPerPatch` changes (removals
   * first). When the target refuses a PATCH for its size (413, 400 tooMany, or a 400 about a limit), the
   * chunk size is halved and the rest retried; the lowered size stays in force for this client and is
   * reported so the engine can persist it. On failure, earlier chunks stay applied (member changes are
   * idempotent, so sending them again is harmless).
   */
  async patchMembers(groupId: string, add: readonly string[], remove: readonly string[], options: CallOptions = {}): Promise<ClientResult<MemberPatchOutcome>> {
    const changes = memberChanges(add, remove);
    const records: RequestRecord[] = [];
    let lowered = false;
    let requests = 0;
    let index = 0;
    while (index < changes.length) {
      const chunk = changes.slice(index, index + this.#memberChangesPerPatch);
      try {
        const result = await this.patch("Groups", groupId, memberOperations(chunk, this.memberRemoveStyle), options);
        records.push(...result.records);
        requests += 1;
        index += chunk.length;
      } catch (error) {
        if (error instanceof TargetError && error.record) records.push(error.record);
        if (!(error instanceof TargetError) || !isPatchTooLarge(error) || chunk.length <= 1) throw error;
        this.#memberChangesPerPatch = Math.max(1, Math.floor(chunk.length / 2));
        lowered = true;
      }
    }
    return { value: { changesPerPatch: this.#memberChangesPerPatch, lowered, requests }, records };
  }

  /** GET /Groups/{id}?attributes=members: the members' target ids, and whether the target returned the attribute at all. */
  readMembers(groupId: string, options: CallOptions = {}): Promise<ClientResult<MemberReadout>> {
    return this.#call({
      method: "GET",
      path: `${objectPath("Groups", groupId)}?attributes=members`,
      repeatable: true,
      maxBytes: this.maxMembersResponseBytes,
      signal: options.signal,
      read: (answer, context) => {
        const group = readResource(answer, context);
        const members = Object.entries(group).find(([key]) => key.toLowerCase() === "members")?.[1];
        if (members === undefined || members === null) return { members: [], membersReturned: false };
        if (!Array.isArray(members)) throw invalid(context, answer.status, "answered a group whose members is not a list");
        const ids = members.map((member: unknown) => (typeof member === "object" && member !== null ? (member as { value?: unknown }).value : undefined));
        if (!ids.every((id): id is string => typeof id === "string")) throw invalid(context, answer.status, "answered a group with a member that has no value");
        return { members: ids, membersReturned: true };
      },
    });
  }

  /** Closes the client's connections; calls after close fail. */
  async close(): Promise<void> {
    await this.#transport.close();
  }

  /** Sends one request with retries, concurrency limits, classification and records. */
  async #call<T>(spec: CallSpec<T>): Promise<ClientResult<T>> {
    const { method, path, signal } = spec;
    const context: BodyContext = { method, path, secrets: [this.#token] };
    const bodyText = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const headers = bodyText === undefined ? this.#headers : { ...this.#headers, "content-type": scimJson };
    const started = performance.now();
    for (let attempt = 1; ; attempt += 1) {
      const release = await this.limiter.acquire(signal);
      const attemptStarted = performance.now();
      let answer: Answer | undefined;
      let error: TargetError | undefined;
      let value: T | undefined;
      try {
        answer = await this.#transport.send({ method, path, headers, body: bodyText, timeoutMs: this.timeoutMs, maxBytes: spec.maxBytes ?? this.maxResponseBytes, signal });
      } catch (thrown) {
        if (!(thrown instanceof TargetError)) throw thrown;
        error = thrown;
      } finally {
        release();
      }
      if (answer !== undefined) {
        error = spec.acceptStatuses?.includes(answer.status) ? undefined : classifyAnswer(answer, context);
        if (error === undefined) {
          try {
            value = spec.read(answer, context);
          } catch (thrown) {
            if (!(thrown instanceof TargetError)) throw thrown;
            error = thrown;
          }
        }
      }
      if (error?.kind === "throttled") this.limiter.onThrottled();
      else if (error?.kind !== "transient") this.limiter.onSuccess();
      const decision = error === undefined ? { retry: false as const } : decideRetry(error, { attempt, policy: this.retryPolicy, repeatable: spec.repeatable, random: this.#random });
      this.#emit({
        method,
        path,
        attempt,
        status: answer?.status,
        durationMs: Math.round(performance.now() - attemptStarted),
        requestBody: spec.body,
        responseText: answer === undefined ? undefined : targetText(answer.text, [this.#token], exchangeTextLimit),
        error: error?.message,
        kind: error?.kind,
        retryInMs: decision.retry ? decision.waitMs : undefined,
      });
      const record = (): RequestRecord => ({
        method,
        path,
        status: answer?.status,
        durationMs: Math.round(performance.now() - started),
        attempts: attempt,
        ...(error !== undefined ? { error: error.message, kind: error.kind } : {}),
      });
      if (error === undefined) return { value: value as T, records: [record()] };
      if (!decision.retry) {
        error.record = record();
        throw error;
      }
      try {
        await this.#sleep(decision.waitMs, signal);
      } catch (thrown) {
        // Node's abortable timer rejects with a generic AbortError; the caller expects its own reason.
        throw signal?.aborted ? signal.reason : thrown;
      }
    }
  }

  #emit(exchange: Exchange): void {
    try {
      this.#onExchange?.(exchange);
    } catch {
      // A logging hook's failure must not change the outcome of a provisioning call.
    }
  }
}

/** `/{endpoint}/{id}` with the id percent-encoded (target ids are opaque text). */
function objectPath(endpoint: ResourceEndpoint, id: string): string {
  return `/${endpoint}/${encodeURIComponent(id)}`;
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, not ${value}`);
  return value;
}
