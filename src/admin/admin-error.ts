import type { ApiErrorCode, SettingsProblem } from "../../shared/admin-api.js";

/**
 * A refusal by an admin-console use case, in the admin API's vocabulary (shared/admin-api.ts
 * ApiErrorCode): the HTTP layer renders it as an ApiError, the CLI prints its message.
 */
export class AdminError extends Error {
  readonly code: ApiErrorCode;
  /** The request field the error is about (forms highlight it). */
  readonly field: string | undefined;
  /** For `throttled`: whole seconds until a retry can succeed. */
  readonly retryAfterSeconds: number | undefined;
  /** For refused app settings: every problem with its path. */
  readonly problems: readonly SettingsProblem[] | undefined;

  constructor(code: ApiErrorCode, message: string, options: AdminErrorOptions = {}) {
    super(message);
    this.name = "AdminError";
    this.code = code;
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.problems = options.problems;
  }
}

/** What an AdminError may say besides its code and message. */
export interface AdminErrorOptions {
  readonly field?: string;
  readonly retryAfterSeconds?: number;
  readonly problems?: readonly SettingsProblem[];
}

/** Shorthand for `new AdminError(...)`. */
export function adminError(code: ApiErrorCode, message: string, options?: AdminErrorOptions): AdminError {
  return new AdminError(code, message, options);
}
