import { AddressRefusedError } from "./address-guard.js";
import { recommendedFix } from "./recommended-fix.js";
import { TargetError, type TargetErrorKind } from "./target-error.js";
import { targetText } from "./target-text.js";

/** Codes of failures that happen before a request can have been sent. */
const beforeSending = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT"]);

/** Node's and OpenSSL's codes for a certificate that could not be verified. */
const certificateCode = /^(CERT_|ERR_TLS_CERT|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT|UNABLE_TO_(GET|VERIFY|DECRYPT)|HOSTNAME_MISMATCH|ERR_SSL_)/;

const words: Readonly<Record<string, string>> = {
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  EPIPE: "the connection was closed while sending",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name could not be resolved right now",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  UND_ERR_CONNECT_TIMEOUT: "connecting timed out",
  UND_ERR_SOCKET: "the connection failed",
  UND_ERR_CLOSED: "the connection was closed",
};

/** What the client knows about a failure that is not an answer. */
export interface FailureContext {
  readonly method: string;
  readonly path: string;
  readonly secrets: readonly string[];
  /** Set when the client's own per-request timer fired. */
  readonly timeoutMs?: number;
}

/**
 * Classifies an exception from sending a request (no HTTP answer): our own refusals, timeouts, DNS,
 * connection and TLS errors. `maybeSent` is false only where the request certainly never left.
 */
export function classifyFailure(error: unknown, context: FailureContext): TargetError {
  const { method, path } = context;
  const build = (kind: TargetErrorKind, summary: string, code: string | undefined, maybeSent: boolean, detail?: string) =>
    new TargetError({ kind, method, path, summary, code, maybeSent, detail, fix: recommendedFix({ kind, code }) });

  if (context.timeoutMs !== undefined) return build("transient", `no answer within ${formatSeconds(context.timeoutMs)}`, "timeout", true);
  const refusal = findCause(error, (cause) => cause instanceof AddressRefusedError) as AddressRefusedError | undefined;
  if (refusal) return build("refused", `refused to connect: ${targetText(refusal.message, context.secrets)}`, refusal.code, false);

  const code = errorCode(error);
  const message = error instanceof Error ? targetText(error.message, context.secrets) : undefined;
  if (code !== undefined && certificateCode.test(code)) return build("refused", "the TLS certificate could not be verified", "certificate", false, message);
  const summary = code !== undefined ? `${words[code] ?? "the request failed"} (${code})` : "the request failed";
  return build("transient", summary, code, code === undefined || !beforeSending.has(code), message);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The first error in the `cause` chain (and AggregateError members, as happy-eyeballs connects produce) that satisfies `test`. */
function findCause(error: unknown, test: (candidate: unknown) => boolean, depth = 0): unknown {
  if (depth > 5 || error === undefined || error === null) return undefined;
  if (test(error)) return error;
  if (error instanceof AggregateError) {
    for (const member of error.errors) {
      const found = findCause(member, test, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return error instanceof Error ? findCause(error.cause, test, depth + 1) : undefined;
}

function errorCode(error: unknown): string | undefined {
  const found = findCause(error, (candidate) => typeof (candidate as { code?: unknown } | null)?.code === "string");
  return found === undefined ? undefined : (found as { code: string }).code;
}
