import type { FastifyRequest } from "fastify";
import type { Principal } from "../provisioning/authenticator.js";
import { scimError, type ScimError } from "../scim/errors.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated SCIM client; set by the tenant plugin's onRequest hook. */
    principal: Principal | null;
    /** The error this request was answered with, for the request log line. */
    failure: ScimError | null;
  }
}

/** The principal of an authenticated SCIM request (the auth hook guarantees it inside the tenant plugin). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw scimError("unauthorized", "The request is not authenticated.");
  return request.principal;
}

/** Query parameters as a plain record. */
export function queryOf(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

/** A header that must appear at most once, as a string. */
export function singleHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}
