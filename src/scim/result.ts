import type { ScimError } from "./errors.js";

/** Outcome of a parser or validator: a value, or the SCIM error explaining why there is none. */
export type Result<T, E = ScimError> = { ok: true; value: T } | { ok: false; error: E };

/** Wraps a successful value. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** Wraps a failure. */
export function fail<E = ScimError>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

/** Returns the value of a result or throws its error; for callers that let the HTTP layer render errors. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
