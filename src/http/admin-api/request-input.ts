import type { FastifyRequest } from "fastify";
import type { AdminError } from "../../admin/admin-error.js";
import type { Result } from "../../scim/result.js";
import { apiProblem } from "./api-problem.js";

/** The JSON object body of a request, or 400 `invalid`. */
export function jsonObjectBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw apiProblem("invalid", "Send a JSON object as the request body.");
  return body as Record<string, unknown>;
}

/** A string field of a body; 400 `invalid` naming the field when it is missing or empty (unless optional) or not a string. */
export function stringField(body: Record<string, unknown>, field: string, options: { optional: true }): string | undefined;
export function stringField(body: Record<string, unknown>, field: string): string;
export function stringField(body: Record<string, unknown>, field: string, options: { optional?: boolean } = {}): string | undefined {
  const value = body[field];
  if (value === undefined && options.optional) return undefined;
  if (typeof value !== "string" || (value === "" && !options.optional)) throw apiProblem("invalid", `"${field}" is required and must be a string.`, { field });
  return value;
}

/** A path parameter. */
export function pathParameter(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string | undefined>)[name] ?? "";
}

/** The query string as a record (Fastify's parsed query). */
export function queryOf(request: FastifyRequest): Readonly<Record<string, unknown>> {
  return (request.query ?? {}) as Record<string, unknown>;
}

/** The value of a parse result, or its AdminError thrown for the error handler. */
export function valueOrThrow<T>(result: Result<T, AdminError>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
