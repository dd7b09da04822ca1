import type { TargetErrorKind } from "./target-error.js";

/**
 * What the provisioning log keeps of one client call (one operation, possibly several attempts).
 * Never holds the bearer token: paths are relative to the app's base URL, and no header is kept.
 */
export interface RequestRecord {
  readonly method: string;
  /** Path and query under the base URL, e.g. `/Users?filter=userName%20eq%20%22ann%22`. */
  readonly path: string;
  /** Status of the last answer; undefined when no answer came (connection error, timeout, refusal). */
  readonly status?: number;
  /** From the first attempt's start to the last attempt's end, waits included. */
  readonly durationMs: number;
  readonly attempts: number;
  /** For a failed call, the TargetError's message (the target's detail text, clipped). */
  readonly error?: string;
  readonly kind?: TargetErrorKind;
}

/**
 * One HTTP exchange (a single attempt), handed to the `onExchange` hook as it ends, for logs and
 * on-demand provisioning's step list. Bodies are as sent and as received (clipped, token redacted).
 */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  /** 1 for the first attempt of a call. */
  readonly attempt: number;
  readonly status?: number;
  readonly durationMs: number;
  /** The JSON body sent, if any. */
  readonly requestBody?: unknown;
  /** The answer's text, clipped to a few KiB. */
  readonly responseText?: string;
  /** Set when this attempt failed. */
  readonly error?: string;
  readonly kind?: TargetErrorKind;
  /** When the client will try again, the wait before the next attempt. */
  readonly retryInMs?: number;
}
