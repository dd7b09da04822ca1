import type { RequestRecord } from "./request-record.js";

/**
 * How a failed exchange with a target SCIM API is to be handled:
 * - `throttled`: the target asked us to slow down (429, 503 with Retry-After); retry later, lower concurrency.
 * - `transient`: a failure that may pass (5xx without SCIM meaning, timeouts, connection reset/refused).
 * - `auth`: the Secret Token was refused (401/403); an app-level problem.
 * - `notFound`: 404; the object (or the endpoint) is not there.
 * - `conflict`: 409, usually `uniqueness`; match and adopt, or park the object.
 * - `rejected`: the target refused this request's content (400, 413, 422, other 4xx); park the object.
 * - `invalidResponse`: a 2xx whose body is not the SCIM answer expected, or a body over the size limit.
 * - `refused`: Muster refused to talk to the target (private address, plain HTTP to a public one, a redirect, a bad certificate).
 */
export type TargetErrorKind = "throttled" | "transient" | "auth" | "notFound" | "conflict" | "rejected" | "invalidResponse" | "refused";

/** The facts a TargetError is built from. */
export interface TargetErrorFacts {
  readonly kind: TargetErrorKind;
  readonly method: string;
  /** Path and query under the base URL; never the token. */
  readonly path: string;
  /** What went wrong, in words, without the target's own text (that is `detail`). */
  readonly summary: string;
  readonly status?: number;
  readonly scimType?: string;
  /** The target's own explanation (SCIM Error `detail`, or the start of a non-SCIM body), clipped and redacted. */
  readonly detail?: string;
  /** How long the target asked us to wait (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  /** A short recommended fix, in words. */
  readonly fix: string;
  /** False only when the request certainly never reached the target (refused before connecting, connection refused, DNS failure). */
  readonly maybeSent: boolean;
  /** A network error code (ECONNRESET, ENOTFOUND…) or `timeout`, when the failure was not an answer. */
  readonly code?: string;
}

/** Every failure of a ScimTargetClient call: classified, with the target's words and a recommended fix. Never contains the bearer token. */
export class TargetError extends Error {
  readonly kind: TargetErrorKind;
  readonly method: string;
  readonly path: string;
  readonly summary: string;
  readonly status: number | undefined;
  readonly scimType: string | undefined;
  readonly detail: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly fix: string;
  readonly maybeSent: boolean;
  readonly code: string | undefined;
  /** The call's request record; set by the client when the call gives up. */
  record: RequestRecord | undefined;

  constructor(facts: TargetErrorFacts) {
    super(describe(facts));
    this.name = "TargetError";
    this.kind = facts.kind;
    this.method = facts.method;
    this.path = facts.path;
    this.summary = facts.summary;
    this.status = facts.status;
    this.scimType = facts.scimType;
    this.detail = facts.detail;
    this.retryAfterMs = facts.retryAfterMs;
    this.fix = facts.fix;
    this.maybeSent = facts.maybeSent;
    this.code = facts.code;
    this.record = undefined;
  }

  /** The error as plain data, for a provisioning log entry or an API answer. */
  toJSON(): Omit<TargetErrorFacts, "maybeSent"> & { readonly message: string } {
    const { kind, method, path, summary, status, scimType, detail, retryAfterMs, fix, code } = this;
    return { message: this.message, kind, method, path, summary, status, scimType, detail, retryAfterMs, fix, code };
  }
}

function describe(facts: TargetErrorFacts): string {
  const scimType = facts.scimType !== undefined ? ` (${facts.scimType})` : "";
  const detail = facts.detail !== undefined && facts.detail !== "" ? `: ${facts.detail}` : "";
  return `${facts.method} ${facts.path}: ${facts.summary}${scimType}${detail}`;
}
