import type { FastifyError, FastifyReply } from "fastify";
import type { ApiError, ApiErrorCode, SettingsProblem } from "../../../shared/admin-api.js";
import { AdminError } from "../../admin/admin-error.js";
import { ScimError } from "../../scim/errors.js";

const statusOf: Record<ApiErrorCode, number> = {
  unauthenticated: 401,
  csrf: 403,
  invalid: 400,
  credentials: 401,
  throttled: 429,
  not_found: 404,
  conflict: 409,
  setup_link_invalid: 410,
  internal: 500,
};

/** An admin API error (shared/admin-api.ts ApiError): a stable code, a sentence, and the field it concerns. */
export class ApiProblem extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly field: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Refused app settings, each with its path (sent only when present). */
  readonly problems: readonly SettingsProblem[] | undefined;

  constructor(code: ApiErrorCode, message: string, options: ApiProblemOptions = {}) {
    super(message);
    this.name = "ApiProblem";
    this.code = code;
    this.status = statusOf[code];
    this.field = options.field ?? null;
    this.headers = options.headers ?? {};
    this.problems = options.problems;
  }
}

/** What an ApiProblem may carry besides its code and message. */
export interface ApiProblemOptions {
  readonly field?: string;
  readonly headers?: Record<string, string>;
  readonly problems?: readonly SettingsProblem[];
}

/** Shorthand for `new ApiProblem(...)`. */
export function apiProblem(code: ApiErrorCode, message: string, options?: ApiProblemOptions): ApiProblem {
  return new ApiProblem(code, message, options);
}

/**
 * Turns anything thrown in the admin API into an ApiProblem: AdminErrors of the console's use cases
 * keep their code, field and Retry-After; use cases that share code with SCIM throw
 * ScimErrors (uniqueness → conflict, not found → not_found, bad values → invalid); Fastify's own body
 * errors become `invalid`; anything else is an `internal` error that reveals nothing.
 */
export function toApiProblem(error: unknown, requestId: string): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof AdminError) {
    const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { "Retry-After": String(error.retryAfterSeconds) };
    return apiProblem(error.code, error.message, { ...(error.field === undefined ? {} : { field: error.field }), headers, ...(error.problems ? { problems: error.problems } : {}) });
  }
  if (error instanceof ScimError) {
    if (error.status === 404) return apiProblem("not_found", error.detail);
    if (error.status === 409) return apiProblem("conflict", error.detail);
    if (error.status === 429) return apiProblem("throttled", error.detail, { headers: { ...error.headers } });
    if (error.status >= 400 && error.status < 500) return apiProblem("invalid", error.detail);
  }
  const fastifyError = error as Partial<FastifyError>;
  if (typeof fastifyError.statusCode === "number" && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return apiProblem("invalid", fastifyError.message ?? "The request is malformed.");
  }
  return apiProblem("internal", `An internal error occurred (request id ${requestId}). The server log has the details.`);
}

/** Sends an ApiProblem as its status, headers and ApiError body. */
export function sendProblem(reply: FastifyReply, problem: ApiProblem): FastifyReply {
  const body: ApiError = { error: { code: problem.code, message: problem.message, field: problem.field, ...(problem.problems ? { problems: problem.problems } : {}) } };
  return reply.code(problem.status).headers(problem.headers).type("application/json; charset=utf-8").send(body);
}
