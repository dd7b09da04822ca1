import { parseRetryAfter } from "./parse-retry-after.js";
import { recommendedFix } from "./recommended-fix.js";
import { TargetError, type TargetErrorKind } from "./target-error.js";
import { targetText } from "./target-text.js";

/** An HTTP answer as the client read it. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/** Where the answer came from and what must not appear in errors. */
export interface AnswerContext {
  readonly method: string;
  readonly path: string;
  /** The bearer token and anything else that must be redacted from the target's text. */
  readonly secrets: readonly string[];
  readonly now?: number;
}

/** A 500 whose text says it is about rates is a throttle in disguise (seen in the wild; ENGINES.md §7). */
const rateLimitText = /rate[ -]?limit|too many requests|throttl/i;

/**
 * Turns a non-2xx answer into a classified TargetError (RFC 7644 §3.12 errors, RFC 9110 statuses), or
 * undefined for a 2xx. The target's SCIM Error `detail` and `scimType` are kept (detail clipped, the token
 * redacted); a body that is not a SCIM Error contributes its first words as the detail.
 */
export function classifyAnswer(answer: Answer, context: AnswerContext): TargetError | undefined {
  const { status } = answer;
  if (status >= 200 && status < 300) return undefined;
  const { scimType, detail } = readErrorBody(answer.text, context.secrets);
  const retryAfterMs = parseRetryAfter(answer.headers["retry-after"], context.now);
  const base = { method: context.method, path: context.path, status, scimType, detail, maybeSent: true };
  const build = (kind: TargetErrorKind, summary: string, code?: string, extra: { retryAfterMs?: number } = {}) =>
    new TargetError({ ...base, ...extra, kind, summary, code, fix: recommendedFix({ kind, status, scimType, code, objectPath: isObjectPath(context.path) }) });

  if (status >= 300 && status < 400) {
    const location = answer.headers.location;
    const where = typeof location === "string" ? targetText(location, context.secrets, 200) : undefined;
    const summary = where !== undefined ? `answered ${status}, a redirect to ${where}, which Muster does not follow` : `answered ${status}, a redirect, which Muster does not follow`;
    return build("refused", summary, "redirect");
  }
  if (status === 429) return build("throttled", "answered 429 Too Many Requests", undefined, { retryAfterMs });
  if (status === 503) {
    return retryAfterMs !== undefined ? build("throttled", "answered 503 Service Unavailable", undefined, { retryAfterMs }) : build("transient", "answered 503 Service Unavailable");
  }
  if (status === 401) return build("auth", "answered 401: the Secret Token was refused");
  if (status === 403) return build("auth", "answered 403: the token is not allowed to do this");
  if (status === 404) return build("notFound", "answered 404 Not Found");
  if (status === 409) return build("conflict", "answered 409 Conflict");
  if (status === 408) return build("transient", "answered 408 Request Timeout");
  if (status === 500 && detail !== undefined && rateLimitText.test(detail)) return build("throttled", "answered 500 about its rate limit", undefined, { retryAfterMs });
  if (status === 501 || status === 505) return build("rejected", `answered ${status}: not supported`);
  if (status >= 500 && status < 600) {
    // A 500 that names a SCIM error type is the target's considered answer about this request, not a hiccup.
    if (status === 500 && scimType !== undefined) return build("rejected", "answered 500");
    return build("transient", `answered ${status}`, undefined, { retryAfterMs });
  }
  if (status >= 400 && status < 500) return build("rejected", `answered ${status}`);
  return build("invalidResponse", `answered with an unexpected status ${status}`);
}

/** True for `/Users/{id}` and `/Groups/{id}…`, false for endpoints such as `/Users` or `/ServiceProviderConfig`. */
function isObjectPath(path: string): boolean {
  const pathname = path.split("?")[0] ?? "";
  return pathname.split("/").filter((segment) => segment !== "").length >= 2;
}

/** Reads `scimType` and `detail` from a SCIM Error body (RFC 7644 §3.12), or common non-SCIM error shapes. */
function readErrorBody(text: string, secrets: readonly string[]): { scimType?: string; detail?: string } {
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    const words = targetText(text.replace(/<[^>]*>/g, " "), secrets);
    return words === "" ? {} : { detail: words };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
  const body = parsed as Record<string, unknown>;
  const scimType = typeof body.scimType === "string" && body.scimType !== "" ? targetText(body.scimType, secrets, 60) : undefined;
  // SCIM 1.1 targets still answer `Errors: [{ description }]`; others use `message` or OAuth's `error_description`.
  const legacy = Array.isArray(body.Errors) ? (body.Errors[0] as Record<string, unknown> | undefined)?.description : undefined;
  const candidate = [body.detail, legacy, body.message, body.error_description, body.error].find((value) => typeof value === "string" && value !== "");
  const detail = typeof candidate === "string" ? targetText(candidate, secrets) : undefined;
  return { ...(scimType !== undefined ? { scimType } : {}), ...(detail !== undefined ? { detail } : {}) };
}
