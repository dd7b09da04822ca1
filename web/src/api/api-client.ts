import type { ApiError, ApiErrorCode } from "../../../shared/admin-api";

/** Codes of failures the console shows: the admin API's own, plus the two that happen before or outside it. */
export type RequestErrorCode = ApiErrorCode | "network" | "unexpected_response";

/** A failed admin API request, in words for people (`message`) and codes for the console (`code`, `field`). */
export class ApiRequestError extends Error {
  readonly code: RequestErrorCode;
  /** The HTTP status; 0 when no answer arrived. */
  readonly status: number;
  /** The request field the error is about (forms show the message next to it). */
  readonly field: string | null;
  /** Seconds from Retry-After, for throttled sign-ins. */
  readonly retryAfterSeconds: number | null;

  constructor(code: RequestErrorCode, status: number, message: string, options: { field?: string | null; retryAfterSeconds?: number | null } = {}) {
    super(message);
    this.name = "ApiRequestError";
    this.code = code;
    this.status = status;
    this.field = options.field ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}

/** Query parameters; undefined and empty values are left out. */
export type QueryParams = Readonly<Record<string, string | number | undefined>>;

/** The HTTP methods the admin API uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** How an ApiClient reaches the server. */
export interface ApiClientOptions {
  /** Defaults to the browser's fetch. */
  readonly fetch?: typeof fetch;
  /** Prefix of every path, "/api" by default (same origin as the console). */
  readonly baseUrl?: string;
}

const apiErrorCodes: ReadonlySet<string> = new Set<ApiErrorCode>([
  "unauthenticated",
  "csrf",
  "invalid",
  "credentials",
  "throttled",
  "not_found",
  "conflict",
  "setup_link_invalid",
  "internal",
]);

/** True when a parsed body is an ApiError (shared/admin-api.ts). */
export function isApiError(body: unknown): body is ApiError {
  if (typeof body !== "object" || body === null) return false;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === "string" && apiErrorCodes.has(code) && typeof message === "string";
}

/** Seconds in a Retry-After header (delay-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null, now: Date = new Date()): number | null {
  if (value === null || value.trim() === "") return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/**
 * The admin API over fetch: same-origin cookies, JSON bodies, the session's CSRF token on every
 * state-changing request, and every failure turned into an ApiRequestError with a readable message.
 */
export class ApiClient {
  readonly #fetch: typeof fetch;
  readonly #baseUrl: string;
  #csrfToken: string | null = null;

  constructor(options: ApiClientOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#baseUrl = options.baseUrl ?? "/api";
  }

  /** Remembers the signed-in session's CSRF token (null after signing out). */
  setCsrfToken(token: string | null): void {
    this.#csrfToken = token;
  }

  /** The URL of a GET route with its query, for links the browser follows itself (downloads). */
  href(path: string, query?: QueryParams): string {
    return this.#baseUrl + path + queryString(query);
  }

  /** Sends one request; resolves with the parsed body (undefined for 204), rejects with ApiRequestError. */
  async request<T>(method: HttpMethod, path: string, options: { query?: QueryParams; body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && this.#csrfToken !== null) headers["X-CSRF-Token"] = this.#csrfToken;

    let response: Response;
    try {
      response = await this.#fetch(this.#baseUrl + path + queryString(options.query), {
        method,
        headers,
        credentials: "same-origin",
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch {
      throw new ApiRequestError("network", 0, "The Muster server cannot be reached. Check your network connection and that the server is running, then try again.");
    }
    if (response.status === 204) return undefined as T;

    const body = await readJson(response);
    if (response.ok) {
      if (body === undefined) throw unexpected(response);
      return body as T;
    }
    if (!isApiError(body)) throw unexpected(response);
    throw new ApiRequestError(body.error.code, response.status, body.error.message, {
      field: body.error.field ?? null,
      retryAfterSeconds: parseRetryAfter(response.headers.get("Retry-After")),
    });
  }
}

function queryString(query: QueryParams | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

async function readJson(response: Response): Promise<unknown> {
  const type = response.headers.get("Content-Type") ?? "";
  if (!/\bjson\b/i.test(type)) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function unexpected(response: Response): ApiRequestError {
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const message =
    response.status >= 500
      ? `The server failed to answer (${status}). Try again in a moment; if it keeps failing, check the Muster server log.`
      : `The server gave an unexpected answer (${status}). A proxy in front of Muster may be intercepting /api requests.`;
  return new ApiRequestError("unexpected_response", response.status, message);
}
