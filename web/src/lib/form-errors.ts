import { ApiRequestError } from "../api/api-client";

/** The server's message for one form field, when the error is about that field. */
export function fieldError(error: unknown, field: string): string | null {
  return error instanceof ApiRequestError && error.field === field ? error.message : null;
}

/** The error to show above a form: any error not shown next to one of `fields`. */
export function formError(error: unknown, fields: readonly string[]): unknown {
  if (error === null || error === undefined) return null;
  if (error instanceof ApiRequestError && error.field !== null && fields.includes(error.field)) return null;
  return error;
}
