import { Urn } from "./urns.js";

/** RFC 7644 §3.12 Table 9 scimType values, plus RFC 9865's cursor errors. */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive"
  | "invalidCursor"
  | "expiredCursor"
  | "invalidCount";

interface CatalogueEntry {
  readonly status: number;
  readonly scimType?: ScimType;
  /** What the code means; docs/errors.md is checked against these by a test. */
  readonly summary: string;
}

/**
 * The one catalogue of errors Muster answers with: code → HTTP status and scimType (RFC 7644 §3.12).
 * Every 4xx/5xx response body is built from one of these entries.
 */
export const errorCatalogue = {
  invalidFilter: { status: 400, scimType: "invalidFilter", summary: "The filter or path filter is not valid SCIM filter syntax, or names an attribute that cannot be filtered." },
  tooMany: { status: 400, scimType: "tooMany", summary: "The request would return or process more resources than the server allows." },
  uniqueness: { status: 409, scimType: "uniqueness", summary: "A value that must be unique (userName, group displayName) is already taken in this tenant." },
  mutability: { status: 400, scimType: "mutability", summary: "The request tries to change a readOnly or immutable attribute." },
  invalidSyntax: { status: 400, scimType: "invalidSyntax", summary: "The request body is not valid JSON or not a valid SCIM message." },
  invalidPath: { status: 400, scimType: "invalidPath", summary: "A PATCH path is malformed or names an unknown attribute." },
  noTarget: { status: 400, scimType: "noTarget", summary: "A PATCH path did not match anything it needs to act on." },
  invalidValue: { status: 400, scimType: "invalidValue", summary: "A required value is missing, has the wrong type, or is not allowed." },
  invalidVers: { status: 400, scimType: "invalidVers", summary: "The version given is not valid." },
  sensitive: { status: 403, scimType: "sensitive", summary: "The request carries sensitive data in a place it must not (for example in the URL)." },
  invalidCursor: { status: 400, scimType: "invalidCursor", summary: "The pagination cursor is malformed, was altered, or belongs to a different query." },
  expiredCursor: { status: 400, scimType: "expiredCursor", summary: "The pagination cursor has expired." },
  invalidCount: { status: 400, scimType: "invalidCount", summary: "The count parameter is not a valid page size." },
  unauthorized: { status: 401, summary: "The bearer token is missing, unknown, revoked, or belongs to another tenant." },
  forbidden: { status: 403, summary: "The caller is authenticated but not allowed to do this." },
  notFound: { status: 404, summary: "No resource or endpoint exists at this URL." },
  methodNotAllowed: { status: 405, summary: "The endpoint does not support this HTTP method." },
  conflict: { status: 409, summary: "The request conflicts with the current state (for example circular bulkId references)." },
  preconditionFailed: { status: 412, summary: "The If-Match version does not match the current version of the resource." },
  payloadTooLarge: { status: 413, summary: "The request body or the number of bulk operations exceeds the advertised limit." },
  unsupportedMediaType: { status: 415, summary: "The request body is not JSON (send application/scim+json or application/json)." },
  tooManyRequests: { status: 429, summary: "The client sent too many requests; retry after the number of seconds in Retry-After." },
  internal: { status: 500, summary: "The server failed unexpectedly; nothing was written. The log has the request id." },
  notImplemented: { status: 501, summary: "The operation is not supported by this server." },
  unavailable: { status: 503, summary: "The database is momentarily busy; retry after the number of seconds in Retry-After. Nothing was written." },
} as const satisfies Record<string, CatalogueEntry>;

/** A key of the error catalogue. */
export type ErrorCode = keyof typeof errorCatalogue;

/** An error that is rendered as a SCIM Error resource (RFC 7644 §3.12). */
export class ScimError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly scimType: ScimType | undefined;
  /** Extra response headers (Retry-After, Allow, WWW-Authenticate). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, detail: string, headers: Record<string, string> = {}) {
    super(detail);
    this.name = "ScimError";
    this.code = code;
    const entry: CatalogueEntry = errorCatalogue[code];
    this.status = entry.status;
    this.scimType = entry.scimType;
    this.headers = headers;
  }

  /** The human-readable explanation sent as `detail`. */
  get detail(): string {
    return this.message;
  }
}

/** Shorthand for `new ScimError(code, detail)`. */
export function scimError(code: ErrorCode, detail: string, headers?: Record<string, string>): ScimError {
  return new ScimError(code, detail, headers);
}

/** The RFC 7644 §3.12 Error body; `status` is a string as the RFC requires. */
export interface ScimErrorBody {
  schemas: [typeof Urn.Error];
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** Renders a ScimError as the RFC 7644 §3.12 body. */
export function presentError(error: ScimError): ScimErrorBody {
  return {
    schemas: [Urn.Error],
    status: String(error.status),
    ...(error.scimType ? { scimType: error.scimType } : {}),
    detail: error.detail,
  };
}
